package io.peersql.peer.query;

import io.peersql.peer.PeerProperties;
import io.peersql.peer.schema.SchemaFollower;
import io.peersql.query.DistributedEngine;
import io.peersql.query.distributed.ExchangeSettings;
import io.peersql.query.jdbc.CalciteConnections;
import io.peersql.query.peer.PeerLocator;
import io.peersql.query.peer.PeerQueryClient;
import io.peersql.query.schema.TpchSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.SqlDialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * SQL over the whole network for this peer's business users: a {@link DistributedEngine} over the
 * current version of the network's global schema, rebuilt when the bootstrap announces a new
 * version (connections already open keep the version they started with). A peer without a
 * bootstrap serves the built-in TPC-H schema its store was created with.
 */
public final class NetworkQueries implements CalciteConnections, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NetworkQueries.class);

  /** No schema version: the built-in TPC-H schema of a peer that runs without a bootstrap. */
  private static final int BUILT_IN = 0;

  private final PeerProperties peer;
  private final SchemaFollower schemas;
  private final PeerLocator locator;
  private final PeerQueryClient client;
  private final SqlDialect dialect;
  private final ExchangeSettings settings;
  private final List<DistributedEngine> engines = new ArrayList<>();
  private int version = -1;
  private DistributedEngine current;

  /** Creates NetworkQueries for the peer. */
  public NetworkQueries(PeerProperties peer, SchemaFollower schemas, PeerLocator locator, PeerQueryClient client,
      SqlDialect dialect, ExchangeSettings settings) {
    this.peer = requireNonNull(peer, "peer is null");
    this.schemas = requireNonNull(schemas, "schemas is null");
    this.locator = requireNonNull(locator, "locator is null");
    this.client = requireNonNull(client, "client is null");
    this.dialect = requireNonNull(dialect, "dialect is null");
    this.settings = requireNonNull(settings, "settings is null");
  }

  @Override
  public Connection open(String user, String role) throws SQLException {
    return engine().connections().open(user, role);
  }

  /** The engine for the schema version this peer follows now. */
  synchronized DistributedEngine engine() throws SQLException {
    var schema = schemas.current();
    boolean standalone = peer.bootstrapSecret() == null || peer.bootstrapSecret().isBlank();
    if (schema.isEmpty() && !standalone) {
      throw new SQLException("This peer has not received the network's global schema from the bootstrap at "
          + peer.bootstrapUrl() + " yet; try again shortly", "08001");
    }
    int wanted = schema.map(s -> s.version()).orElse(BUILT_IN);
    if (current == null || wanted != version) {
      io.peersql.query.schema.GlobalSchema translated;
      try {
        translated = schema.map(EngineSchema::of).orElseGet(TpchSchema::create);
      } catch (IllegalArgumentException e) {
        throw new SQLException("The network's global schema version " + wanted + " cannot be queried: "
            + e.getMessage(), "0A000", e);
      }
      current = new DistributedEngine(peer.name(), translated, locator, client, dialect, settings);
      engines.add(current);
      version = wanted;
      log.info("Queries now plan against global schema {} ({} tables)",
          wanted == BUILT_IN ? "built-in TPC-H" : "version " + wanted, translated.tables().size());
    }
    return current;
  }

  /** Stops every engine's reader threads. */
  @Override
  public synchronized void close() {
    engines.forEach(DistributedEngine::close);
    engines.clear();
    current = null;
  }
}
