package io.peersql.query.jdbc;

import java.sql.SQLException;
import org.apache.calcite.avatica.metrics.noop.NoopMetricsSystem;
import org.apache.calcite.avatica.remote.Handler;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.ProtobufHandler;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;

import static java.util.Objects.requireNonNull;

/**
 * The Avatica wire protocol (protobuf serialization) for a peer's business users, independent of
 * any HTTP server: the peer hands it each request body and sends back the bytes and status code.
 *
 * <p>Clients use the standard remote driver:
 * {@code jdbc:avatica:remote:url=http://host:port/avatica;serialization=PROTOBUF}. Errors
 * (unknown tables, bad SQL, wrong credentials) travel back as Avatica error responses, so the
 * client sees an {@code SQLException} with the message and the connection stays usable.
 */
public final class AvaticaProtocol implements AutoCloseable {

  private final AuthenticatingMeta meta;
  private final ProtobufHandler handler;

  /**
   * Creates an AvaticaProtocol serving the given connections to the given users: a {@link
   * io.peersql.query.CalciteConnectionSpec} for one store, or {@link
   * io.peersql.query.DistributedEngine#connections()} for the whole network.
   */
  public AvaticaProtocol(CalciteConnections connections, BusinessUsers users) {
    requireNonNull(connections, "connections is null");
    try {
      this.meta = new AuthenticatingMeta(connections, users);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot prepare Calcite connections", e);
    }
    this.handler = new ProtobufHandler(
        new LocalService(meta), new ProtobufTranslationImpl(), NoopMetricsSystem.getInstance());
  }

  /** Handles one protobuf-encoded request and returns the encoded response with its HTTP status. */
  public Handler.HandlerResponse<byte[]> handle(byte[] request) {
    return handler.apply(request);
  }

  /** Closes every connection that clients left open. */
  @Override
  public void close() {
    meta.closeAll();
  }
}
