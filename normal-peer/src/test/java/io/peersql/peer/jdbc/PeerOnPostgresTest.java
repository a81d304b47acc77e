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
    try (var connection = DriverManager.getConnection(url, "analyst", "pw");
        var rows = connection.createStatement().executeQuery(
            "select count(*), sum(o_totalprice) from orders where o_orderdate < date '1995-01-01'")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).isPositive().isLessThan(15_000);
    }
    try (var store = DriverManager.getConnection(POSTGRES.getJdbcUrl("postgres", "postgres"));
        var rows = store.createStatement().executeQuery("select count(*) from orders")) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo(15_000);
    }
  }
}
