package io.peersql.query.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.jdbc.JdbcMeta;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;

import static java.util.Objects.requireNonNull;

/**
 * A {@link JdbcMeta} over a Calcite connection that admits only known business users.
 *
 * <p>The Avatica remote driver sends the client's {@code user} and {@code password} connection
 * properties with the open-connection request; they are checked here before any Calcite
 * connection exists; the password is not passed on. Each Avatica connection gets its own Calcite
 * connection from {@link CalciteConnections}, opened for the authenticated user and their role.
 */
final class AuthenticatingMeta extends JdbcMeta {

  /** SQLSTATE for "invalid authorization specification". */
  private static final String INVALID_AUTHORIZATION = "28000";

  private static final String USER = "peersql.user";
  private static final String ROLE = "peersql.role";

  private final CalciteConnections connections;
  private final BusinessUsers users;

  /** Creates an AuthenticatingMeta that opens connections from {@code connections}. */
  AuthenticatingMeta(CalciteConnections connections, BusinessUsers users) throws SQLException {
    super("jdbc:calcite:", new Properties());
    this.connections = requireNonNull(connections, "connections is null");
    this.users = requireNonNull(users, "users is null");
  }

  @Override
  public void openConnection(ConnectionHandle ch, Map<String, String> info) {
    var user = info == null ? null : info.get("user");
    var password = info == null ? null : info.get("password");
    if (!users.authenticate(user, password)) {
      throw new AvaticaRuntimeException(
          user == null
              ? "No user given: connect with the user and password of a business user of this peer"
              : "Wrong user or password for user '" + user + "'",
          0, INVALID_AUTHORIZATION, AvaticaSeverity.ERROR);
    }
    super.openConnection(ch, Map.of(USER, user, ROLE, users.roleOf(user)));
  }

  @Override
  protected Connection createConnection(String url, Properties info) throws SQLException {
    return connections.open(info.getProperty(USER), info.getProperty(ROLE, ""));
  }

  /** Closes every connection that clients left open. */
  void closeAll() {
    getConnectionCache().invalidateAll();
  }
}
