package io.peersql.query.peer;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens connections to a peer's local store (for example {@code LocalStore::connect} or a pool). */
@FunctionalInterface
public interface StoreConnections {

  /** Opens a connection; the caller closes it. */
  Connection open() throws SQLException;
}
