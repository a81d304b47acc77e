package io.peersql.query;

import io.peersql.query.distributed.DistributedPrepare;
import io.peersql.query.distributed.DistributedSchema;
import io.peersql.query.distributed.ExchangeSettings;
import io.peersql.query.distributed.QueryRuntime;
import io.peersql.query.jdbc.CalciteConnections;
import io.peersql.query.peer.PeerLocator;
import io.peersql.query.peer.PeerQueryClient;
import io.peersql.query.peer.Requester;
import io.peersql.query.schema.GlobalSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.Driver;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.dialect.H2SqlDialect;

import static java.util.Objects.requireNonNull;

/**
 * Distributed SQL over a whole corporate network, for one peer: opens Calcite connections whose
 * default schema is the network's global schema, with every table spread over the peers the
 * {@link PeerLocator} names, read through the {@link PeerQueryClient}.
 *
 * <p>The peer creates one engine and serves it to business users through {@link
 * io.peersql.query.jdbc.AvaticaProtocol} ({@code new AvaticaProtocol(engine.connections(), users)}),
 * or opens connections directly with {@link #connect(Requester)}. It owns the threads that read
 * peers' answers; {@link #close()} stops them.
 */
public final class DistributedEngine implements AutoCloseable {

  private final String peerId;
  private final GlobalSchema schema;
  private final PeerLocator locator;
  private final PeerQueryClient client;
  private final SqlDialect storeDialect;
  private final ExchangeSettings settings;
  private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * Creates a DistributedEngine for the peer {@code peerId}.
   *
   * @param peerId this peer's id (recorded as the origin of every sub-query)
   * @param schema the network's global schema
   * @param locator which peers hold which tables and ranges (the overlay's indexes)
   * @param client how sub-queries reach other peers
   * @param storeDialect SQL dialect of the peers' stores (H2 by default)
   * @param settings exchange buffering and timeout
   */
  public DistributedEngine(String peerId, GlobalSchema schema, PeerLocator locator,
      PeerQueryClient client, SqlDialect storeDialect, ExchangeSettings settings) {
    this.peerId = requireNonNull(peerId, "peerId is null");
    this.schema = requireNonNull(schema, "schema is null");
    this.locator = requireNonNull(locator, "locator is null");
    this.client = requireNonNull(client, "client is null");
    this.storeDialect = requireNonNull(storeDialect, "storeDialect is null");
    this.settings = requireNonNull(settings, "settings is null");
  }

  /** Creates a DistributedEngine over H2 stores with default exchange settings. */
  public DistributedEngine(String peerId, GlobalSchema schema, PeerLocator locator, PeerQueryClient client) {
    this(peerId, schema, locator, client, H2SqlDialect.DEFAULT, ExchangeSettings.DEFAULT);
  }

  /** Opens a connection for a business user; every sub-query it sends carries the requester. */
  public Connection connect(Requester requester) throws SQLException {
    var info = new Properties();
    // Standard SQL rules for business users: unquoted identifiers are case-insensitive.
    info.setProperty("lex", "ORACLE");
    info.setProperty("fun", "standard");
    var connection = new Driver().withPrepareFactory(DistributedPrepare::new).connect("jdbc:calcite:", info);
    var calcite = connection.unwrap(CalciteConnection.class);
    var runtime = new QueryRuntime(locator, client, readers, requester, storeDialect, settings);
    calcite.getRootSchema().add(schema.name(), new DistributedSchema(schema, runtime));
    calcite.setSchema(schema.name());
    return connection;
  }

  /** Connections for the Avatica endpoint: one per authenticated business user and role. */
  public CalciteConnections connections() {
    return (user, role) -> connect(new Requester(user, role, peerId));
  }

  /** Stops the reader threads; open scans fail. */
  @Override
  public void close() {
    readers.shutdownNow();
  }
}
