package io.peersql.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Stops the whole service and starts it again on the same database: nothing is lost. */
class RestartTest {

  @TempDir
  Path dataDir;

  private ConfigurableApplicationContext start() {
    var arguments = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
        "--peersql.bootstrap.data-dir=" + dataDir, "--peersql.bootstrap.security.bcrypt-strength=4",
        "--peersql.bootstrap.security.provider.password=" + ApiTestSupport.PROVIDER_PASSWORD,
        "--peersql.bootstrap.health.enabled=false"));
    if (TestDatabase.isPostgres()) {
      arguments.add("--spring.datasource.url=" + TestDatabase.postgresUrl());
      arguments.add("--spring.datasource.username=postgres");
      arguments.add("--spring.datasource.password=");
    }
    return new SpringApplicationBuilder(BootstrapApplication.class).run(arguments.toArray(String[]::new));
  }

  private static Api api(ConfigurableApplicationContext context) {
    return new Api("http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort());
  }

  @Test
  void aRestartLosesNothing() {
    var suffix = Long.toString(System.nanoTime(), 36);
    var company = "restart-" + suffix;
    var network = "restart-net-" + suffix;
    var peerName = "restart-peer-" + suffix;
    String secret;
    try (var first = start()) {
      var api = api(first);
      var fixtures = new Fixtures(api, api.as("provider", ApiTestSupport.PROVIDER_PASSWORD));
      var admin = fixtures.approvedCompany(company);
      fixtures.network(admin, network);
      fixtures.schema(admin, network);
      admin.put("/api/networks/" + network + "/roles/analyst", Map.of("description", "analysts"));
      var created = admin.post("/api/networks/" + network + "/peers", Map.of("name", peerName));
      secret = created.json().path("secret").asText();
      Fixtures.register(api.as(peerName, secret), 9700);
    }
    try (var second = start()) {
      var api = api(second);
      var admin = api.as(company + "-admin", Fixtures.ADMIN_PASSWORD);
      assertThat(admin.get("/api/companies/" + company).json().path("state").asText()).isEqualTo("APPROVED");
      assertThat(admin.get("/api/networks/" + network).json().path("members").get(0).asText()).isEqualTo(company);
      assertThat(admin.get("/api/networks/" + network + "/schema").json().path("version").asInt()).isEqualTo(1);
      assertThat(admin.get("/api/networks/" + network + "/roles").json()).hasSize(1);
      var peer = admin.get("/api/peers/" + peerName).json();
      assertThat(peer.path("state").asText()).isEqualTo("ACTIVE");
      assertThat(peer.path("address").asText()).isEqualTo("http://127.0.0.1:9700");
      assertThat(api.as(peerName, secret).put("/api/peer/heartbeat", null).status())
          .as("the peer's credentials survive").isEqualTo(200);
      assertThat(admin.get("/api/networks/" + network + "/events?size=100").json().path("total").asInt())
          .isGreaterThanOrEqualTo(5);
    }
  }
}
