package io.peersql.peer.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The admin loads CSV data into a running peer through its API and follows the progress. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "peersql.peer.tpch.enabled=false",
    "peersql.peer.admin.password=secret",
    "peersql.peer.bootstrap-url=http://127.0.0.1:9"})
class LoadApiTest {

  @TempDir
  static Path dataDir;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("peersql.peer.data-dir", () -> dataDir.toString());
  }

  @Autowired
  TestRestTemplate http;

  @Autowired
  JdbcTemplate store;

  private HttpEntity<String> asAdmin(String body, MediaType type) {
    var headers = new HttpHeaders();
    headers.setBasicAuth("admin", "secret");
    headers.setContentType(type);
    return new HttpEntity<>(body, headers);
  }

  @Test
  void adminUploadsAMappingStartsALoadAndSeesItCommit() throws Exception {
    var csv = new StringBuilder("id,name,region,note\n");
    for (int i = 0; i < 25; i++) {
      csv.append(i).append(",NATION").append(i).append(',').append(i % 5).append(",n").append(i).append('\n');
    }
    Files.writeString(dataDir.resolve("nations.csv"), csv);
    var yaml = """
        source: { csvDirectory: "%s" }
        tables:
          - target: nation
            from: nations.csv
            columns: { n_nationkey: id, n_name: name, n_regionkey: region, n_comment: note }
        """.formatted(dataDir);

    var stored = http.exchange("/api/mapping", HttpMethod.PUT, asAdmin(yaml, MediaType.valueOf("application/yaml")),
        String.class);
    assertThat(stored.getStatusCode()).isEqualTo(HttpStatus.OK);

    var started = http.exchange("/api/loads?mode=FULL", HttpMethod.POST, asAdmin("", MediaType.APPLICATION_JSON),
        LoadJob.class);
    assertThat(started.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    var job = started.getBody();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (job.state() == LoadJob.State.RUNNING && System.nanoTime() < deadline) {
      Thread.sleep(100);
      job = http.exchange("/api/loads/" + job.id(), HttpMethod.GET, asAdmin(null, MediaType.APPLICATION_JSON),
          LoadJob.class).getBody();
    }
    assertThat(job.state()).isEqualTo(LoadJob.State.SUCCEEDED);
    assertThat(job.rows()).containsEntry("nation", 25L);
    assertThat(job.progress().rowsDone()).isEqualTo(25);
    assertThat(store.queryForObject("select count(*) from nation", Long.class)).isEqualTo(25);
  }

  @Test
  void theAdminApiNeedsTheAdminsCredentials() {
    var anonymous = http.getForEntity("/api/loads", String.class);
    assertThat(anonymous.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    var headers = new HttpHeaders();
    headers.setBasicAuth("admin", "wrong");
    var wrong = http.exchange("/api/loads", HttpMethod.GET, new HttpEntity<>(headers), String.class);
    assertThat(wrong.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
  }

  @Test
  void aBrokenMappingIsRefusedWithItsProblems() {
    var refused = http.exchange("/api/mapping", HttpMethod.PUT,
        asAdmin("{\"source\": {\"csvDirectory\": \"/tmp\"}, \"tables\": []}", MediaType.APPLICATION_JSON), String.class);
    assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(refused.getBody()).contains("map at least one global table");
  }

  /** The peer alone forms an overlay of one: the root, owning every key. */
  @Test
  void adminSeesThisPeersPlaceInTheOverlay() throws Exception {
    var anonymous = http.getForEntity("/api/overlay", String.class);
    assertThat(anonymous.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    Map<?, ?> overlay = Map.of();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!"ACTIVE".equals(overlay.get("status")) && System.nanoTime() < deadline) {
      overlay = http.exchange("/api/overlay", HttpMethod.GET, asAdmin(null, MediaType.APPLICATION_JSON),
          Map.class).getBody();
      Thread.sleep(100);
    }
    assertThat(overlay.get("status")).isEqualTo("ACTIVE");
    assertThat(overlay.get("position")).isEqualTo("(0,1)");
    assertThat(overlay.get("range")).isEqualTo("[MIN, +inf)");
    assertThat(overlay.get("parent")).isNull();
    assertThat((List<?>) overlay.get("routing")).isEmpty();
    assertThat(overlay.get("node").toString()).startsWith("127.0.0.1:");
  }
}
