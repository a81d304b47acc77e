package io.peersql.bootstrap.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.bootstrap.ApiTestSupport;
import org.junit.jupiter.api.Test;

class PublicEndpointsTest extends ApiTestSupport {

  @Test
  void onlyHealthDocsPortalAndSelfRegistrationAnswerWithoutCredentials() {
    assertThat(api().get("/actuator/health").status()).isEqualTo(200);
    assertThat(api().get("/v3/api-docs").status()).isEqualTo(200);
    assertThat(api().get("/portal/index.html").status()).isEqualTo(200);

    for (var path : new String[] {"/api/companies", "/api/networks", "/api/peers", "/api/me", "/api/peer",
        "/api/networks/x/schema", "/actuator/env", "/anything-else"}) {
      var refused = api().get(path);
      assertThat(refused.status()).as(path).isIn(401, 403);
    }
    var challenge = api().get("/api/companies");
    assertThat(challenge.status()).isEqualTo(401);
    assertThat(challenge.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
        value -> assertThat(value).startsWith("Basic"));
    assertThat(challenge.json().path("detail").asText()).contains("needs credentials");
    var fromPortal = api().header("X-Requested-With", "XMLHttpRequest").get("/api/companies");
    assertThat(fromPortal.raw().headers().firstValue("WWW-Authenticate")).isEmpty();
  }

  @Test
  void aWrongPasswordIsTold() {
    var wrong = api().as("provider", "not-it").get("/api/companies");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().path("detail").asText()).isEqualTo("The username or password is wrong");
  }

  @Test
  void theOpenApiDocumentDescribesEveryResource() {
    var paths = api().get("/v3/api-docs").json().path("paths");
    assertThat(paths.has("/api/companies")).isTrue();
    assertThat(paths.has("/api/networks/{network}/schema")).isTrue();
    assertThat(paths.has("/api/networks/{network}/grants/{company}/{role}")).isTrue();
    assertThat(paths.has("/api/peer/heartbeat")).isTrue();
    assertThat(paths.has("/api/networks/{name}/events")).isTrue();
    assertThat(api().get("/swagger-ui/index.html").status()).isEqualTo(200);
  }

  @Test
  void meSaysWhoTheCredentialsBelongTo() {
    var me = provider().get("/api/me");
    assertThat(me.json().path("kind").asText()).isEqualTo("PROVIDER");
  }
}
