package io.peersql.query;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import static java.util.Objects.requireNonNull;

/**
 * Where a peer keeps its shared tables: the JDBC coordinates of its local relational store
 * (embedded H2 by default, PostgreSQL in production) and the schema inside it that holds the
 * global-schema tables.
 *
 * @param jdbcUrl JDBC URL of the store, as its own driver understands it
 * @param user user name for the store
 * @param password password for the store
 * @param schema schema inside the store that holds the shared tables (for example {@code PUBLIC})
 */
public record LocalStore(String jdbcUrl, String user, String password, String schema) {

  /** Creates a LocalStore, checking that every part is present. */
  public LocalStore {
    requireNonNull(jdbcUrl, "jdbcUrl is null");
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
    requireNonNull(schema, "schema is null");
  }

  /** Opens a new connection to the store. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, user, password);
  }
}
