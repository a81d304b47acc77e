package io.peersql.query;

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
}
