package io.peersql.bootstrap.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.bootstrap.Api;
import io.peersql.bootstrap.ApiTestSupport;
import io.peersql.bootstrap.Fixtures;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The monitor's state transitions under a hand-moved clock (suspect after 15 s, failed after 45 s). */
class HealthMonitorTest extends ApiTestSupport {

  @Autowired
  HealthMonitor monitor;

  private String state(Api admin, String peer) {
    return admin.get("/api/peers/" + peer).json().path("state").asText();
  }

  @Test
  void aSilentPeerBecomesSuspectThenFailedAndRecoversWhenItHeartbeatsAgain() {
    var fixtures = new Fixtures(api(), provider());
    var admin = fixtures.approvedCompany(unique("co"));
    var network = unique("net");
    fixtures.network(admin, network);
    var name = unique("peer");
    var peer = fixtures.peer(admin, network, name);
    var neverRegistered = unique("idle");
    fixtures.peer(admin, network, neverRegistered);
    Fixtures.register(peer, 9500);

    clock.advance(Duration.ofSeconds(10));
    monitor.sweep();
    assertThat(state(admin, name)).isEqualTo("ACTIVE");

    clock.advance(Duration.ofSeconds(10));
    monitor.sweep();
    assertThat(state(admin, name)).isEqualTo("SUSPECT");
    assertThat(lifecycle.callsAbout(name)).containsExactly("suspect " + name);

    clock.advance(Duration.ofSeconds(20));
    monitor.sweep();
    assertThat(state(admin, name)).as("40 s is not yet failed").isEqualTo("SUSPECT");

    clock.advance(Duration.ofSeconds(10));
    monitor.sweep();
    monitor.sweep();
    assertThat(state(admin, name)).isEqualTo("FAILED");
    assertThat(lifecycle.callsAbout(name)).containsExactly("suspect " + name, "failed " + name);

    assertThat(peer.put("/api/peer/heartbeat", null).json().path("state").asText()).isEqualTo("ACTIVE");
    assertThat(state(admin, name)).isEqualTo("ACTIVE");
    assertThat(lifecycle.callsAbout(name)).containsExactly("suspect " + name, "failed " + name, "recovered " + name);
    assertThat(state(admin, neverRegistered)).as("a peer that never registered is not watched").isEqualTo("STARTING");
    assertThat(lifecycle.callsAbout(neverRegistered)).isEmpty();

    var events = admin.get("/api/networks/" + network + "/events?size=100").json().path("items");
    assertThat(events.findValuesAsText("kind")).containsSubsequence("PEER_RECOVERED", "PEER_FAILED", "PEER_SUSPECT",
        "PEER_JOINED");
  }

  @Test
  void aPeerSilentBeyondTheFailureThresholdFailsInOneSweep() {
    var fixtures = new Fixtures(api(), provider());
    var admin = fixtures.approvedCompany(unique("co"));
    var network = unique("net");
    fixtures.network(admin, network);
    var name = unique("peer");
    Fixtures.register(fixtures.peer(admin, network, name), 9600);
    clock.advance(Duration.ofMinutes(5));
    var changed = monitor.sweep();
    assertThat(changed).anySatisfy(peer -> assertThat(peer.name()).isEqualTo(name));
    assertThat(state(admin, name)).isEqualTo("FAILED");
    assertThat(lifecycle.callsAbout(name)).containsExactly("failed " + name);
  }
}
