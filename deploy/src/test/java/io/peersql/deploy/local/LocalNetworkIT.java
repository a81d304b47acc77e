package io.peersql.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end: the bootstrap service and two peers as real processes, each
 * peer registered and serving SQL over its own slice through the Avatica remote driver.
 */
class LocalNetworkIT {

  /** Line items in TPC-H at scale factor 0.01. */
  private static final long LINEITEM_SF_001 = 60_175;

  @TempDir
  Path dataDir;

  private LocalNetwork.Spec spec() {
    return new LocalNetwork.Spec(2, 0.01, dataDir,
        Path.of(System.getProperty("peersql.apps", "target/apps")), Duration.ofMinutes(5));
  }

  @Test
  void peersOnPostgresStoresServeTheWholeNetworkAcrossRestarts() throws Exception {
    var postgres = new LocalNetwork.Spec(2, 0.01, dataDir,
        Path.of(System.getProperty("peersql.apps", "target/apps")), Duration.ofMinutes(5), LocalNetwork.Store.POSTGRES);
    var progress = new PrintStream(new ByteArrayOutputStream());
    long orders;
    try (var network = LocalNetwork.start(postgres, progress)) {
      assertThat(eventually(network.peers().get(1), "select count(*) from lineitem", LINEITEM_SF_001))
          .isEqualTo(LINEITEM_SF_001);
      orders = count(network.peers().get(0), "select count(distinct o_custkey) from orders, lineitem "
          + "where o_orderkey = l_orderkey and l_shipdate < date '1995-01-01'");
      assertThat(orders).isPositive();
    }
    // Each peer's rows are in its own PostgreSQL cluster, kept in its data directory.
    assertThat(dataDir.resolve("peer-1").resolve("postgres").resolve("PG_VERSION")).exists();
    assertThat(dataDir.resolve("peer-2").resolve("postgres").resolve("PG_VERSION")).exists();
    try (var network = LocalNetwork.start(postgres, progress)) {
      assertThat(eventually(network.peers().get(0), "select count(*) from lineitem", LINEITEM_SF_001))
          .isEqualTo(LINEITEM_SF_001);
      assertThat(count(network.peers().get(1), "select count(distinct o_custkey) from orders, lineitem "
          + "where o_orderkey = l_orderkey and l_shipdate < date '1995-01-01'")).isEqualTo(orders);
    }
  }

  @Test
  void peersRegisterAndServeTheirSlicesOverJdbcAcrossRestarts() throws Exception {
    var progress = new PrintStream(new ByteArrayOutputStream());
    List<Long> firstCounts;
    try (var network = LocalNetwork.start(spec(), progress)) {
      assertThat(registeredPeers(network)).containsExactlyInAnyOrder("peer-1", "peer-2");

      // Both peers joined one overlay and published their indexes: each finds both through it.
      for (var asker : network.peers()) {
        assertThat(directory(asker, "/api/directory/tables/orders")).contains("\"peer\":\"peer-1\"")
            .contains("\"peer\":\"peer-2\"");
        assertThat(directory(asker, "/api/directory/tables/nation")).contains("\"peer\":\"peer-1\"")
            .doesNotContain("peer-2");
        assertThat(directory(asker, "/api/directory/tables/orders/columns/o_orderkey?low=1&high=7"))
            .contains("\"peer\":\"peer-1\"").doesNotContain("peer-2");
      }

      // Each peer answers SQL over the whole network: both slices together.
      firstCounts = List.of(eventually(network.peers().get(0), "select count(*) from lineitem", LINEITEM_SF_001),
          eventually(network.peers().get(1), "select count(*) from lineitem", LINEITEM_SF_001));
      assertThat(firstCounts).containsExactly(LINEITEM_SF_001, LINEITEM_SF_001);

      // A point query on the range-indexed order key reaches only the peer holding that order.
      // The generator's last part, peer-2's slice, holds the largest order key.
      long orderOfPeer2 = count(network.peers().get(1), "select max(o_orderkey) from orders");
      assertThat(directory(network.peers().get(0), "/api/directory/tables/orders/columns/o_orderkey?low="
          + orderOfPeer2 + "&high=" + orderOfPeer2)).contains("peer-2").doesNotContain("peer-1");
      long servedBefore = subqueriesServed(network);
      var entry = network.peers().get(0);
      try (var connection = DriverManager.getConnection(entry.jdbcUrl(), entry.user(), entry.password());
          var point = connection.prepareStatement("select o_orderkey, o_totalprice from orders where o_orderkey = ?")) {
        point.setLong(1, orderOfPeer2);
        try (var rows = point.executeQuery()) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getLong(1)).isEqualTo(orderOfPeer2);
          assertThat(rows.next()).isFalse();
        }
      }
      assertThat(subqueriesServed(network) - servedBefore).as("sub-queries sent for one point query").isEqualTo(1);

      var peer = network.peers().get(1);
      try (var connection = DriverManager.getConnection(peer.jdbcUrl(), peer.user(), peer.password());
          var statement = connection.createStatement()) {
        assertThatThrownBy(() -> statement.executeQuery("select * from no_such_table"))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("NO_SUCH_TABLE");
        try (var rows = statement.executeQuery("select count(*) from nation")) {
          rows.next();
          assertThat(rows.getLong(1)).as("peer-2 reads the reference table held by peer-1").isEqualTo(25);
        }
      }
    }

    // A second start on the same data directory reuses the data and the credentials.
    try (var network = LocalNetwork.start(spec(), progress)) {
      assertThat(eventually(network.peers().get(0), "select count(*) from lineitem", LINEITEM_SF_001))
          .isEqualTo(LINEITEM_SF_001);

      // The admin loads a CSV through a mapping with ./peersql load; the peer holds it.
      Files.writeString(dataDir.resolve("regions.csv"), "code,label,remark\n7,ATLANTIS,sunk\n8,LEMURIA,\"lost, too\"\n");
      var mapping = Files.writeString(dataDir.resolve("regions.yaml"), """
          source: { csvDirectory: "%s" }
          tables:
            - target: region
              from: regions.csv
              columns: { r_regionkey: code, r_name: label, r_comment: remark }
          """.formatted(dataDir));
      var out = new ByteArrayOutputStream();
      int status = LoadCommand.run(new String[] {"--peer", "peer-2", "--data-dir", dataDir.toString(),
          "--mapping", mapping.toString()}, new PrintStream(out), new PrintStream(out));
      assertThat(status).as(out.toString()).isZero();
      assertThat(out.toString()).contains("region (1/1): 2 of 2 rows").contains("committed");
      assertThat(eventually(network.peers().get(1), "select count(*) from region", 7))
          .as("peer-1's five regions and peer-2's two, once peer-2 republished").isEqualTo(7);

      // A load killed midway (the peer process dies) leaves the old data intact after restart.
      var big = new StringBuilder("code,label,remark\n");
      for (int i = 0; i < 400_000; i++) {
        big.append(i).append(",R").append(i).append(",x\n");
      }
      Files.writeString(dataDir.resolve("regions.csv"), big);
      var loading = new Thread(() -> {
        try {
          LoadCommand.run(new String[] {"--peer", "peer-2", "--data-dir", dataDir.toString()},
              new PrintStream(out), new PrintStream(out));
        } catch (Exception e) {
          // The peer dies under the command; what matters is the data after restart.
        }
      });
      loading.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!out.toString().contains("region (1/1): ") || !out.toString().contains(" of 400000 rows")) {
        assertThat(System.nanoTime()).as(out.toString()).isLessThan(deadline);
        Thread.sleep(20);
      }
      network.kill("peer-2");
      loading.join(Duration.ofSeconds(30));

      // With peer-2 gone, a query needing its line items fails naming it; no partial answer.
      var asker = network.peers().get(0);
      try (var connection = DriverManager.getConnection(asker.jdbcUrl(), asker.user(), asker.password());
          var statement = connection.createStatement()) {
        assertThatThrownBy(() -> statement.executeQuery("select count(*) from lineitem"))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("peer-2")
            .hasMessageContaining("lineitem");
        // Data peer-1 alone holds is still answered.
        try (var rows = statement.executeQuery("select count(*) from nation")) {
          rows.next();
          assertThat(rows.getLong(1)).isEqualTo(25);
        }
      }
    }
    try (var network = LocalNetwork.start(spec(), progress)) {
      assertThat(eventually(network.peers().get(1), "select count(*) from region", 7)).isEqualTo(7);
      assertThat(eventually(network.peers().get(0), "select count(*) from lineitem", LINEITEM_SF_001))
          .isEqualTo(LINEITEM_SF_001);
    }
  }

  /** Sub-queries the network's peers have answered, as they count them. */
  private static long subqueriesServed(LocalNetwork network) throws Exception {
    long total = 0;
    for (var peer : network.peers()) {
      total += new com.fasterxml.jackson.databind.ObjectMapper().readTree(directory(peer, "/api/subqueries"))
          .path("served").asLong();
    }
    return total;
  }

  /** Runs a count until it gives {@code expected} (indexes are republished in the background), or 60 s pass. */
  private static long eventually(LocalNetwork.PeerAccess peer, String sql, long expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      long value = count(peer, sql);
      if (value == expected || System.nanoTime() > deadline) {
        return value;
      }
      Thread.sleep(250);
    }
  }

  private static long count(LocalNetwork.PeerAccess peer, String sql) throws SQLException {
    try (var connection = DriverManager.getConnection(peer.jdbcUrl(), peer.user(), peer.password());
        var rows = connection.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  @Test
  void aDataDirectoryOfAnotherShapeIsRefused() throws Exception {
    var progress = new PrintStream(new ByteArrayOutputStream());
    new LocalNetwork(spec(), progress).close();
    // Seed the directory with a three-peer network description, then ask for two peers.
    try (var network = new LocalNetwork(new LocalNetwork.Spec(3, 0.01, dataDir, Path.of("missing"),
        Duration.ofSeconds(1)), progress)) {
      assertThatThrownBy(network::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("Missing");
    }
    assertThatThrownBy(() -> LocalNetwork.start(spec(), progress))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds a network of 3 peers");
  }

  /** Asks a peer's directory, waiting until the overlay indexes hold both peers' postings. */
  private static String directory(LocalNetwork.PeerAccess peer, String path) throws Exception {
    var auth = Base64.getEncoder().encodeToString(("admin:" + peer.adminPassword()).getBytes(StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(peer.baseUrl() + path))
          .header("Authorization", "Basic " + auth).GET().build(), HttpResponse.BodyHandlers.ofString());
      body = response.body();
      if (response.statusCode() == 200 && (!path.endsWith("/orders") || body.contains("peer-2") && body.contains("peer-1"))) {
        return body;
      }
      Thread.sleep(250);
    }
    return body;
  }

  private static List<String> registeredPeers(LocalNetwork network) throws Exception {
    var url = URI.create(network.bootstrapUrl() + "/api/networks/demo/peers");
    var anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).as("the registry needs credentials").isEqualTo(401);
    var credentials = Base64.getEncoder().encodeToString(
        (LocalNetwork.PROVIDER_USER + ":" + network.providerPassword()).getBytes(StandardCharsets.UTF_8));
    var response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(url).header("Authorization", "Basic " + credentials).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    var names = new ArrayList<String>();
    for (JsonNode peer : new ObjectMapper().readTree(response.body()).path("items")) {
      assertThat(peer.get("state").asText()).isEqualTo("ACTIVE");
      names.add(peer.get("name").asText());
    }
    return names;
  }
}
