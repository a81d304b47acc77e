package io.peersql.peer.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A peer whose store is a real PostgreSQL, chosen with the datasource setting alone. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "peersql.peer.tpch.scale=0.01",
    "peersql.peer.business-password=pw",
    "peersql.peer.bootstrap-url=http://127.0.0.1:9"})
class PeerOnPostgresTest {

  private static final EmbeddedPostgres POSTGRES = start();

  @TempDir
  static Path dataDir;

  private static EmbeddedPostgres start() {
    try {
      return EmbeddedPostgres.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stop() throws IOException {
    POSTGRES.close();
  }

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> POSTGRES.getJdbcUrl("postgres", "postgres"));
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("peersql.peer.data-dir", () -> dataDir.toString());
  }

  @LocalServerPort
  int port;

  @Test
  void businessUsersQueryTheSliceHeldInPostgres() throws Exception {
    var url = "jdbc:avatica:remote:url=http://127.0.0.1:" + port + "/avatica;serialization=PROTOBUF";
    // The peer forms an overlay of its own and publishes its indexes in the background.
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    long count = 0;
    String lastError = "none";
    while (count == 0 && System.nanoTime() < deadline) {
      try (var connection = DriverManager.getConnection(url, "analyst", "pw");
          var rows = connection.createStatement().executeQuery(
              "select count(*), sum(o_totalprice) from orders where o_orderdate < date '1995-01-01'")) {
        assertThat(rows.next()).isTrue();
        count = rows.getLong(1);
      } catch (java.sql.SQLException notYet) {
        lastError = notYet.toString();
        Thread.sleep(250);
      }
    }
    assertThat(count).as("last error: %s", lastError).isPositive().isLessThan(15_000);
    try (var store = DriverManager.getConnection(POSTGRES.getJdbcUrl("postgres", "postgres"));
        var rows = store.createStatement().executeQuery("select count(*) from orders")) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo(15_000);
    }
    // A prepared statement's parameters travel beside the sub-query's SQL and are bound by the
    // PostgreSQL driver (typed: a whole number, a date, a text).
    try (var connection = DriverManager.getConnection(url, "analyst", "pw");
        var statement = connection.prepareStatement("select o_orderkey, o_orderdate from orders"
            + " where o_orderkey = ? and o_orderdate >= ? and o_orderstatus <> ?")) {
      for (long key : new long[] {1, 7, 32}) {
        statement.setLong(1, key);
        statement.setDate(2, java.sql.Date.valueOf("1990-01-01"));
        statement.setString(3, "no such status");
        try (var rows = statement.executeQuery()) {
          assertThat(rows.next()).as("order %d", key).isTrue();
          assertThat(rows.getLong(1)).isEqualTo(key);
          assertThat(rows.next()).isFalse();
        }
      }
    }
  }
}
