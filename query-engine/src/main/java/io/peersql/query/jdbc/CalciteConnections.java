package io.peersql.query.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens the Calcite connection that serves one authenticated business user (see {@link
 * io.peersql.query.CalciteConnectionSpec} for one store, {@link io.peersql.query.DistributedEngine}
 * for the whole network).
 */
@FunctionalInterface
public interface CalciteConnections {

  /** Opens a connection for {@code user}, who holds {@code role} ({@code ""} if none). */
  Connection open(String user, String role) throws SQLException;
}
