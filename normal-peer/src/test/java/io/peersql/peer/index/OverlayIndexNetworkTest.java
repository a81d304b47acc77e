package io.peersql.peer.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.baton.BatonNode;
import io.peersql.peer.PeerProperties.TpchSlice;
import io.peersql.peer.index.IndexDirectory.PeerAddress;
import io.peersql.peer.store.TpchSliceLoader;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five peers on loopback, each with its own store and its own overlay node over real sockets:
 * index lookups through the overlay name exactly the peers that hold a table, and range lookups
 * exactly the peers whose data overlap, after loads, a reload and a peer's departure.
 */
class OverlayIndexNetworkTest {

  private static final List<String> TABLES = List.of("region", "nation", "part", "supplier", "partsupp",
      "customer", "orders", "lineitem");
  private static final Map<String, List<String>> RANGE_INDEXED = Map.of(
      "orders", List.of("o_orderkey", "o_orderdate"), "lineitem", List.of("l_orderkey"));

  @TempDir
  Path dataDir;

  private final List<Peer> peers = new ArrayList<>();

  private record Peer(String name, BatonNode node, JdbcDataSource store, IndexDirectory directory) {
  }

  @AfterEach
  void stop() {
    peers.forEach(peer -> peer.node().close());
  }

  private Peer start(String name) throws Exception {
    var node = BatonNode.start("127.0.0.1", 0, name.hashCode());
    if (peers.isEmpty()) {
      node.create().get(10, TimeUnit.SECONDS);
    } else {
      node.join(peers.get(new Random(name.hashCode()).nextInt(peers.size())).node().id()).get(20, TimeUnit.SECONDS);
    }
    var store = new JdbcDataSource();
    store.setURL("jdbc:h2:mem:" + name + "-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    store.setUser("sa");
    new TpchSliceLoader(store).createTables();
    var directory = new IndexDirectory(new BatonSharedIndex(node, Duration.ofSeconds(10)),
        new PeerAddress(name, "http://" + node.id()), dataDir.resolve(name));
    var peer = new Peer(name, node, store, directory);
    peers.add(peer);
    return peer;
  }

  private static void publish(Peer peer) throws Exception {
    peer.directory().publish(new ShareSummarizer(peer.store()).summarize(TABLES, RANGE_INDEXED));
  }

  private static long count(Peer peer, String sql) throws SQLException {
    try (var connection = peer.store().getConnection(); var rows = connection.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private Set<String> holding(String table) throws SQLException {
    var names = new TreeSet<String>();
    for (var peer : peers) {
      if (count(peer, "select count(*) from " + table) > 0) {
        names.add(peer.name());
      }
    }
    return names;
  }

  private Set<String> holdingOrders(long low, long high) throws SQLException {
    var names = new TreeSet<String>();
    for (var peer : peers) {
      if (count(peer, "select count(*) from orders where o_orderkey between " + low + " and " + high) > 0) {
        names.add(peer.name());
      }
    }
    return names;
  }

  private static Set<String> names(Iterable<PeerAddress> found) {
    var names = new TreeSet<String>();
    found.forEach(peer -> names.add(peer.name()));
    return names;
  }

  private void checkLookups(Peer asker, Random random) throws Exception {
    for (var table : TABLES) {
      assertThat(names(asker.directory().peersHolding(table).keySet())).as(table).isEqualTo(holding(table));
    }
    for (int i = 0; i < 30; i++) {
      long low = 1 + random.nextInt(70_000);
      long high = low + 100 + random.nextInt(20_000);
      assertThat(names(asker.directory().peersOverlapping("orders", "o_orderkey", low, high)))
          .as("orders with o_orderkey in [%d, %d]", low, high)
          .isEqualTo(holdingOrders(low, high));
    }
  }

  @Test
  void lookupsThroughTheOverlayNameExactlyTheRightPeers() throws Exception {
    var random = new Random(7);
    for (int i = 1; i <= 5; i++) {
      start("peer-" + i);
    }
    // Peers 1 to 4 hold a quarter of TPC-H each (peer 1 also the reference tables); peer 5 nothing yet.
    for (int part = 1; part <= 4; part++) {
      new TpchSliceLoader(peers.get(part - 1).store()).loadIfEmpty(new TpchSlice(true, 0.01, part, 4));
      publish(peers.get(part - 1));
    }
    publish(peers.get(4));
    assertThat(holding("orders")).containsExactly("peer-1", "peer-2", "peer-3", "peer-4");
    for (var asker : peers) {
      checkLookups(asker, random);
    }
    assertThat(names(peers.get(4).directory().peersOverlapping("orders", "o_orderdate",
        LocalDate.of(1995, 1, 1), LocalDate.of(1995, 1, 31)))).hasSize(4);

    // Peer 5 loads a few orders with high keys; peer 2 reloads with only part of its orders.
    try (var connection = peers.get(4).store().getConnection(); var statement = connection.createStatement()) {
      statement.execute("insert into orders values (1000001, 1, 'O', 10.00, date '1998-01-01', '1-URGENT', 'c', 0, 'x'),"
          + " (1000100, 1, 'O', 10.00, date '1998-01-02', '1-URGENT', 'c', 0, 'x')");
    }
    publish(peers.get(4));
    try (var connection = peers.get(1).store().getConnection(); var statement = connection.createStatement()) {
      statement.execute("delete from lineitem where l_orderkey > (select min(o_orderkey) + 5000 from orders)");
      statement.execute("delete from orders where o_orderkey > (select min(o_orderkey) + 5000 from orders)");
    }
    publish(peers.get(1));
    for (var asker : peers) {
      checkLookups(asker, random);
    }
    assertThat(names(peers.get(0).directory().peersOverlapping("orders", "o_orderkey", 999_000L, 1_000_001L)))
        .containsExactly("peer-5");
    assertThat(names(peers.get(0).directory().peersOverlapping("orders", "o_orderkey", 1_000_050L, 1_000_060L)))
        .as("a filter in the hole between peer-5's two clusters skips it").isEmpty();

    // Peer 3 retires: it withdraws its entries and leaves the overlay; the others' entries survive.
    var leaving = peers.get(2);
    leaving.directory().withdrawAll();
    leaving.node().leave().get(20, TimeUnit.SECONDS);
    leaving.node().close();
    peers.remove(leaving);
    // The tree settles after a departure (links repaired by pings); lookups meeting a stale link
    // fail rather than answer wrongly, so they are retried until the overlay has settled.
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      try {
        for (var asker : peers) {
          checkLookups(asker, random);
        }
        break;
      } catch (java.util.concurrent.ExecutionException notSettled) {
        if (System.nanoTime() > deadline) {
          throw notSettled;
        }
        Thread.sleep(1000);
      }
    }
    assertThat(names(peers.get(0).directory().peersHolding("orders").keySet())).doesNotContain("peer-3");
  }
}
