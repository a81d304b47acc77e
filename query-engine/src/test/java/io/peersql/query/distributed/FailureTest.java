package io.peersql.query.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peersql.query.testing.Answers;
import io.peersql.query.testing.TpchNetwork;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A peer that cannot answer fails the query with its name; cancel and timeouts stop the peers. */
class FailureTest {

  private TpchNetwork network;

  @BeforeEach
  void start() throws Exception {
    network = TpchNetwork.start(0.01, 3,
        ExchangeSettings.DEFAULT.withQueryTimeout(Duration.ofSeconds(20)));
  }

  @AfterEach
  void stop() {
    network.close();
  }

  private static void awaitRequest(io.peersql.query.testing.TestPeer peer) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (peer.received().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(peer.received()).as("sub-query reached %s", peer.id()).isNotEmpty();
  }

  @Test
  void peerKilledDuringAQueryFailsItWithThePeerAndTableNamed() throws Exception {
    var victim = network.peers().get(1);
    victim.stall();
    var pool = Executors.newSingleThreadExecutor();
    try (var connection = network.connect()) {
      var result = pool.submit(() -> Answers.run(connection, "select l_orderkey, l_comment from lineitem"));
      awaitRequest(victim);
      Thread.sleep(200);
      victim.kill();
      assertThatThrownBy(() -> result.get(20, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(java.io.IOException.class)
          .hasMessageContaining("peer2")
          .hasMessageContaining("lineitem");
    } finally {
      victim.release();
      pool.shutdownNow();
    }
  }

  @Test
  void unreachablePeerFailsTheQueryInsteadOfAPartialAnswer() throws Exception {
    network.peers().get(2).kill();
    try (var connection = network.connect()) {
      assertThatThrownBy(() -> Answers.run(connection, "select count(*) from orders"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Peer peer3")
          .hasMessageContaining("orders");
    }
  }

  @Test
  void jdbcCancelStopsTheQueryAndThePeersWork() throws Exception {
    var slow = network.peers().get(0);
    slow.stall();
    var pool = Executors.newSingleThreadExecutor();
    try (var connection = network.connect(); var statement = connection.createStatement()) {
      var result = pool.submit(() -> {
        try (var rows = statement.executeQuery("select * from lineitem")) {
          while (rows.next()) {
            // read everything
          }
        }
        return null;
      });
      awaitRequest(slow);
      long started = System.nanoTime();
      statement.cancel();
      assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).hasMessageContaining("cancel");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      slow.release();
      // The stalled peer notices that nobody reads its answer any more and stops.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (slow.aborted() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(slow.aborted()).isEqualTo(1);
    } finally {
      slow.release();
      pool.shutdownNow();
    }
  }

  @Test
  void statementTimeoutStopsAQueryWaitingForAPeer() throws Exception {
    network.peers().get(0).stall();
    try (var connection = network.connect(); var statement = connection.createStatement()) {
      statement.setQueryTimeout(1);
      long started = System.nanoTime();
      assertThatThrownBy(() -> {
        try (var rows = statement.executeQuery("select * from lineitem")) {
          while (rows.next()) {
            // read everything
          }
        }
      }).hasMessageContaining("timed out");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    } finally {
      network.peers().get(0).release();
    }
  }
}
