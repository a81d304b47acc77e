package io.peersql.bootstrap;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The database the tests run on: an H2 file in a temporary directory by default, or a real
 * PostgreSQL (embedded, started once per test JVM) when the system property
 * {@code peersql.test.database} is {@code postgres}, as in the build's second test run.
 */
public final class TestDatabase {

  private static EmbeddedPostgres postgres;
  private static Path h2Dir;

  private TestDatabase() {
  }

  public static boolean isPostgres() {
    return "postgres".equals(System.getProperty("peersql.test.database"));
  }

  /** Points the application at the test database. */
  public static synchronized void register(DynamicPropertyRegistry registry) {
    registry.add("peersql.bootstrap.data-dir", () -> h2Dir().toString());
    if (isPostgres()) {
      var url = postgres().getJdbcUrl("postgres", "postgres");
      registry.add("spring.datasource.url", () -> url);
      registry.add("spring.datasource.username", () -> "postgres");
      registry.add("spring.datasource.password", () -> "");
    }
  }

  /** The JDBC URL to pass to an application started by hand on the shared database, or null for H2. */
  public static synchronized String postgresUrl() {
    return isPostgres() ? postgres().getJdbcUrl("postgres", "postgres") : null;
  }

  private static Path h2Dir() {
    if (h2Dir == null) {
      try {
        h2Dir = Files.createTempDirectory("peersql-bootstrap-test");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return h2Dir;
  }

  private static EmbeddedPostgres postgres() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      var started = postgres;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException ignored) {
          // the JVM is going away
        }
      }));
    }
    return postgres;
  }
}
