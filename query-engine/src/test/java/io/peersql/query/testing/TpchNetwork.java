package io.peersql.query.testing;

import io.peersql.query.DistributedEngine;
import io.peersql.query.distributed.ExchangeSettings;
import io.peersql.query.peer.HttpPeerQueryClient;
import io.peersql.query.peer.Requester;
import io.peersql.query.schema.TpchSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.dialect.H2SqlDialect;

/**
 * A TPC-H network for tests and benchmarks, all in one JVM: {@code P} peers each holding a slice
 * in H2 behind a real HTTP server, a reference H2 holding all the data, and a {@link
 * DistributedEngine} (as the requesting peer runs it) over them.
 */
public final class TpchNetwork implements AutoCloseable {

  private final List<TestPeer> peers;
  private final String referenceUrl;
  private final StoreIndexLocator locator;
  private final DistributedEngine engine;

  private TpchNetwork(List<TestPeer> peers, String referenceUrl, StoreIndexLocator locator,
      DistributedEngine engine) {
    this.peers = peers;
    this.referenceUrl = referenceUrl;
    this.locator = locator;
    this.engine = engine;
  }

  /** Loads the data and starts the peers. */
  public static TpchNetwork start(double scale, int peerCount, ExchangeSettings settings) throws Exception {
    var peers = new ArrayList<TestPeer>();
    for (int part = 1; part <= peerCount; part++) {
      peers.add(new TestPeer("peer" + part, TpchStores.load("peer" + part, scale, part, peerCount)));
    }
    var reference = TpchStores.load("reference", scale, 1, 1);
    var schema = TpchSchema.create();
    var locator = new StoreIndexLocator(schema, peers);
    var client = HttpPeerQueryClient.create(Duration.ofSeconds(5), Duration.ofSeconds(60));
    var engine = new DistributedEngine("peer1", schema, locator, client, H2SqlDialect.DEFAULT, settings);
    return new TpchNetwork(peers, reference, locator, engine);
  }

  public static TpchNetwork start(double scale, int peerCount) throws Exception {
    return start(scale, peerCount, ExchangeSettings.DEFAULT);
  }

  public List<TestPeer> peers() {
    return peers;
  }

  public DistributedEngine engine() {
    return engine;
  }

  public StoreIndexLocator locator() {
    return locator;
  }

  /** A connection to the distributed engine, as business user {@code analyst}. */
  public Connection connect() throws SQLException {
    return engine.connect(new Requester("analyst", "buyer", "peer1"));
  }

  /** A connection to the reference store holding all the data. */
  public Connection reference() throws SQLException {
    return DriverManager.getConnection(referenceUrl, "sa", "");
  }

  /** Sub-queries received by all peers so far. */
  public int subQueries() {
    return peers.stream().mapToInt(p -> p.received().size()).sum();
  }

  @Override
  public void close() {
    engine.close();
    peers.forEach(TestPeer::close);
  }
}
