package io.peersql.bootstrap.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The peer registry's REST API on a real HTTP port and an H2 file. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PeerRegistryApiTest {

  @TempDir
  static Path dataDir;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("peersql.bootstrap.data-dir", () -> dataDir.toString());
  }

  @Autowired
  TestRestTemplate http;

  private static HttpEntity<String> json(String body) {
    var headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return new HttpEntity<>(body, headers);
  }

  @Test
  void registeredPeersAreListedAndHeartbeatsAreRecorded() {
    var registered = http.postForEntity("/api/peers",
        json("{\"name\":\"acme-1\",\"company\":\"acme\",\"address\":\"http://127.0.0.1:9001\"}"), Peer.class);
    assertThat(registered.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(registered.getBody().state()).isEqualTo(PeerState.ACTIVE);

    var again = http.postForEntity("/api/peers",
        json("{\"name\":\"acme-1\",\"company\":\"acme\",\"address\":\"http://127.0.0.1:9002\"}"), Peer.class);
    assertThat(again.getBody().id()).isEqualTo(registered.getBody().id());
    assertThat(again.getBody().address()).isEqualTo("http://127.0.0.1:9002");

    var beat = http.exchange("/api/peers/acme-1/heartbeat", HttpMethod.PUT, null, Peer.class);
    assertThat(beat.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(beat.getBody().lastHeartbeat()).isAfterOrEqualTo(again.getBody().lastHeartbeat());

    var list = http.getForEntity("/api/peers", Peer[].class);
    assertThat(list.getBody()).extracting(Peer::name).contains("acme-1");
  }

  @Test
  void anotherCompanyCannotTakeAPeerName() {
    http.postForEntity("/api/peers",
        json("{\"name\":\"shared-name\",\"company\":\"one\",\"address\":\"http://127.0.0.1:9001\"}"), String.class);
    var taken = http.postForEntity("/api/peers",
        json("{\"name\":\"shared-name\",\"company\":\"two\",\"address\":\"http://127.0.0.1:9001\"}"), String.class);
    assertThat(taken.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
    assertThat(taken.getBody()).contains("already registered by company 'one'");
  }

  @Test
  void badInputIsAClientError() {
    var malformed = http.postForEntity("/api/peers", json("{\"name\":"), String.class);
    assertThat(malformed.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);

    var badAddress = http.postForEntity("/api/peers",
        json("{\"name\":\"p\",\"company\":\"c\",\"address\":\"not a url\"}"), String.class);
    assertThat(badAddress.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);

    var unknown = http.exchange("/api/peers/nobody/heartbeat", HttpMethod.PUT, null, String.class);
    assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(unknown.getBody()).contains("No peer named 'nobody'");
  }
}
