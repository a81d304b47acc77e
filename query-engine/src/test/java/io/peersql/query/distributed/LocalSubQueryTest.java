package io.peersql.query.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peersql.query.DistributedEngine;
import io.peersql.query.peer.AccessDecision;
import io.peersql.query.peer.AccessPolicy;
import io.peersql.query.peer.HttpPeerQueryClient;
import io.peersql.query.peer.PeerQueryClient;
import io.peersql.query.peer.PeerQueryService;
import io.peersql.query.peer.Requester;
import io.peersql.query.schema.TpchSchema;
import io.peersql.query.testing.Answers;
import io.peersql.query.testing.TpchNetwork;
import java.sql.SQLException;
import java.time.Duration;
import org.apache.calcite.sql.dialect.H2SqlDialect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The requesting peer answers the sub-queries addressed to itself in-process ({@link
 * PeerQueryClient#preferLocal}): same answers, no HTTP request to itself, the same access review,
 * and its store left usable by readers that stop early.
 */
class LocalSubQueryTest {

  private static TpchNetwork network;
  private static volatile AccessPolicy ownPolicy = AccessPolicy.ALLOW_ALL;
  private static PeerQueryService own;
  private static DistributedEngine engine;

  @BeforeAll
  static void start() throws Exception {
    network = TpchNetwork.start(0.01, 3);
    var self = network.peers().getFirst();
    own = new PeerQueryService(self.id(), self.store()::connect, subQuery -> ownPolicy.review(subQuery));
    var client = PeerQueryClient.preferLocal(self.id(), own,
        HttpPeerQueryClient.create(Duration.ofSeconds(5), Duration.ofSeconds(60)));
    engine = new DistributedEngine(self.id(), TpchSchema.create(), network.locator(), client, H2SqlDialect.DEFAULT,
        ExchangeSettings.DEFAULT);
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
    }
    network.close();
  }

  private static java.sql.Connection connect() throws SQLException {
    return engine.connect(new Requester("analyst", "buyer", network.peers().getFirst().id()));
  }

  @Test
  void ownSliceIsReadInProcessAndAnswersMatchTheReference() throws Exception {
    var self = network.peers().getFirst();
    int httpBefore = self.received().size();
    long servedBefore = own.served();
    try (var connection = connect(); var reference = network.reference()) {
      for (int q : new int[] {1, 3, 10}) {
        var actual = Answers.run(connection, Answers.tpchQuery(q));
        var expected = Answers.run(reference, Answers.referenceQuery(q));
        assertThat(Answers.difference(actual, expected, true)).as("Q%d", q).isNull();
      }
    }
    assertThat(self.received().size()).as("HTTP sub-queries to the requesting peer itself").isEqualTo(httpBefore);
    assertThat(own.served() - servedBefore).as("sub-queries answered in-process").isGreaterThanOrEqualTo(3);
    assertThat(network.peers().get(1).received()).as("the other peers are still asked over HTTP").isNotEmpty();
  }

  @Test
  void ownAccessPolicyRefusesInProcessSubQueriesWithThePeerAndTableNamed() throws Exception {
    ownPolicy = subQuery -> new AccessDecision.Refuse("no access for role " + subQuery.requester().role());
    try (var connection = connect()) {
      assertThatThrownBy(() -> Answers.run(connection, "select count(*) from orders"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Peer peer1 refused access to orders")
          .hasMessageContaining("no access for role buyer");
    } finally {
      ownPolicy = AccessPolicy.ALLOW_ALL;
    }
  }

  @Test
  void readersThatStopEarlyLeaveTheOwnStoreUsable() throws Exception {
    try (var connection = connect(); var reference = network.reference()) {
      for (int i = 0; i < 20; i++) {
        // The exchange closes (and interrupts) its readers after five rows of the whole table.
        assertThat(Answers.run(connection, "select l_orderkey, l_comment from lineitem limit 5")).hasSize(5);
      }
      var actual = Answers.run(connection, "select count(*), sum(l_quantity) from lineitem");
      var expected = Answers.run(reference, "select count(*), sum(l_quantity) from lineitem");
      assertThat(Answers.difference(actual, expected, true)).isNull();
    }
  }
}
