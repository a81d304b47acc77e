package io.peersql.bootstrap.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.bootstrap.ApiTestSupport;
import io.peersql.bootstrap.Fixtures;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Whatever a client sends, the answer is a clear 4xx problem, never a 500. */
class BadInputTest extends ApiTestSupport {

  @Test
  void anOversizedBodyIsRefusedWith413() {
    var huge = "{\"name\":\"" + "x".repeat(300 * 1024) + "\"}";
    var declared = provider().post("/api/networks", huge);
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.json().path("code").asText()).isEqualTo("payload-too-large");

    // Without a declared length (chunked), the limit applies while reading.
    var chunked = provider().send(HttpRequest.newBuilder(URI.create(api().baseUrl() + "/api/networks"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8)))));
    assertThat(chunked.status()).isEqualTo(413);
  }

  @Test
  void wrongMediaTypesMethodsAndBodiesAreClientErrors() {
    var admin = new Fixtures(api(), provider()).approvedCompany(unique("co"));
    var text = admin.send(HttpRequest.newBuilder(URI.create(api().baseUrl() + "/api/networks"))
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")));
    assertThat(text.status()).isEqualTo(415);
    assertThat(text.json().path("status").asInt()).isEqualTo(415);
    assertThat(admin.send("PATCH", "/api/networks", "{}").status()).isEqualTo(405);
    assertThat(admin.post("/api/networks", "").status()).isEqualTo(400);
    assertThat(admin.post("/api/networks", "[1,2,3]").status()).isEqualTo(400);
    assertThat(admin.post("/api/networks", "{\"name\": {\"nested\": 1}}").status()).isEqualTo(400);
    assertThat(admin.post("/api/networks", "null").status()).isEqualTo(400);
    assertThat(admin.put("/api/networks/x/schema", "{\"tables\": [null]}").status()).isIn(400, 404);
    assertThat(admin.get("/api/networks/x/schema/versions/notanumber").status()).isEqualTo(400);
    assertThat(admin.get("/api/no-such-endpoint").status()).isEqualTo(404);
  }

  @Test
  void problemsAreRfc7807Documents() {
    var problem = provider().get("/api/companies/nobody-here");
    assertThat(problem.status()).isEqualTo(404);
    assertThat(problem.raw().headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(problem.json().path("title").asText()).isEqualTo("Not Found");
    assertThat(problem.json().path("code").asText()).isEqualTo("not-found");
    assertThat(problem.json().path("detail").asText()).isEqualTo("No company named 'nobody-here' is registered");
    assertThat(problem.json().path("instance").asText()).isEqualTo("/api/companies/nobody-here");
  }
}
