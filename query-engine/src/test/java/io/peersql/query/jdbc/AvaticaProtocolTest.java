package io.peersql.query.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.peersql.query.CalciteConnectionSpec;
import io.peersql.query.LocalStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Business users reach a peer's local data through the Avatica remote driver over real HTTP. */
class AvaticaProtocolTest {

  private HttpServer server;
  private AvaticaProtocol protocol;
  private String url;

  @BeforeEach
  void start() throws Exception {
    var storeUrl = "jdbc:h2:mem:avatica-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
    try (var store = DriverManager.getConnection(storeUrl, "sa", "");
        var statement = store.createStatement()) {
      statement.execute("create table orders (o_orderkey bigint primary key, o_totalprice decimal(15,2), o_comment varchar(79))");
      statement.execute("insert into orders values (1, 10.50, 'first'), (2, 20.25, 'second'), (3, 5.00, 'third')");
    }
    protocol = new AvaticaProtocol(
        new CalciteConnectionSpec(new LocalStore(storeUrl, "sa", "", "PUBLIC")),
        (user, password) -> "analyst".equals(user) && "secret".equals(password));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
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

  @AfterEach
  void stop() {
    server.stop(0);
    protocol.close();
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url, "analyst", "secret");
  }

  @Test
  void queriesRunThroughCalciteOverTheLocalStore() throws Exception {
    try (var connection = connect();
        var statement = connection.createStatement();
        var rows = statement.executeQuery(
            "select o_orderkey, o_totalprice from orders where o_totalprice > 6 order by o_orderkey")) {
      List<String> seen = new ArrayList<>();
      while (rows.next()) {
        seen.add(rows.getLong(1) + ":" + rows.getBigDecimal(2));
      }
      assertThat(seen).containsExactly("1:10.50", "2:20.25");
    }
  }

  @Test
  void preparedStatementsTakeParameters() throws Exception {
    try (var connection = connect();
        var statement = connection.prepareStatement("select o_comment from orders where o_orderkey = ?")) {
      statement.setLong(1, 3);
      try (var rows = statement.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("third");
        assertThat(rows.next()).isFalse();
      }
    }
  }

  @Test
  void unknownTableIsAClearErrorAndTheConnectionStaysUsable() throws Exception {
    try (var connection = connect(); var statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.executeQuery("select * from no_such_table"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("NO_SUCH_TABLE");
      assertThatThrownBy(() -> statement.executeQuery("selec broken"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("parse");
      try (var rows = statement.executeQuery("select count(*) from orders")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong(1)).isEqualTo(3);
      }
    }
  }

  @Test
  void wrongPasswordIsRefused() {
    // The remote driver reports a refused open-connection as AvaticaClientRuntimeException.
    assertThatThrownBy(() -> DriverManager.getConnection(url, "analyst", "wrong").createStatement())
        .hasMessageContaining("Wrong user or password")
        .satisfies(e -> assertThat(e.toString()).contains("28000"));
  }
}
