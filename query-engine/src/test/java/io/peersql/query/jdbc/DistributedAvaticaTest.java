package io.peersql.query.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.peersql.query.testing.TpchNetwork;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.DriverManager;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Business users query the whole network through the Avatica remote driver over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributedAvaticaTest {

  private TpchNetwork network;
  private AvaticaProtocol protocol;
  private HttpServer server;
  private String url;

  @BeforeAll
  void start() throws Exception {
    network = TpchNetwork.start(0.01, 3);
    protocol = new AvaticaProtocol(network.engine().connections(), new BusinessUsers() {
      @Override
      public boolean authenticate(String user, String password) {
        return "analyst".equals(user) && "secret".equals(password);
      }

      @Override
      public String roleOf(String user) {
        return "buyer";
      }
    });
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.createContext("/avatica", exchange -> {
      var response = protocol.handle(exchange.getRequestBody().readAllBytes());
      exchange.sendResponseHeaders(response.getStatusCode(), response.getResponse().length);
      exchange.getResponseBody().write(response.getResponse());
      exchange.close();
    });
    server.start();
    url = "jdbc:avatica:remote:url=http://127.0.0.1:" + server.getAddress().getPort()
        + "/avatica;serialization=PROTOBUF";
  }

  @AfterAll
  void stop() {
    server.stop(0);
    protocol.close();
    network.close();
  }

  @Test
  void metadataListsTheGlobalSchemaTables() throws Exception {
    try (var connection = DriverManager.getConnection(url, "analyst", "secret");
        var tables = connection.getMetaData().getTables(null, "PEERSQL", "%", null)) {
      var names = new ArrayList<String>();
      while (tables.next()) {
        names.add(tables.getString("TABLE_NAME"));
      }
      assertThat(names).contains("LINEITEM", "ORDERS", "NATION", "REGION");
    }
  }

  @Test
  void preparedStatementRunsOverThePeersWithTheUsersRole() throws Exception {
    network.peers().forEach(p -> p.received().clear());
    try (var connection = DriverManager.getConnection(url, "analyst", "secret");
        var statement = connection.prepareStatement(
            "select o_orderkey, sum(l_quantity) from orders join lineitem on l_orderkey = o_orderkey "
                + "where o_orderkey = ? group by o_orderkey")) {
      statement.setLong(1, 32);
      try (var rows = statement.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong(1)).isEqualTo(32);
        assertThat(rows.getBigDecimal(2)).isPositive();
        assertThat(rows.next()).isFalse();
      }
    }
    var received = network.peers().stream().flatMap(p -> p.received().stream()).toList();
    assertThat(received).isNotEmpty()
        .allSatisfy(q -> assertThat(q.requester().role()).isEqualTo("buyer"));
  }

  @Test
  void largeResultsStreamInFrames() throws Exception {
    long expected;
    try (var reference = network.reference(); var s = reference.createStatement();
        var rows = s.executeQuery("select count(*) from lineitem")) {
      rows.next();
      expected = rows.getLong(1);
    }
    try (var connection = DriverManager.getConnection(url, "analyst", "secret");
        var statement = connection.createStatement()) {
      statement.setFetchSize(1000);
      long count = 0;
      try (var rows = statement.executeQuery("select l_orderkey, l_linenumber, l_comment from lineitem")) {
        while (rows.next()) {
          count++;
        }
      }
      assertThat(count).isEqualTo(expected).isGreaterThan(50_000);
    }
  }
}
