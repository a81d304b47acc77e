package io.peersql.query.distributed;

import io.peersql.query.peer.PeerLocator;
import io.peersql.query.peer.PeerQueryClient;
import io.peersql.query.peer.Requester;
import java.util.concurrent.ExecutorService;
import org.apache.calcite.sql.SqlDialect;

import static java.util.Objects.requireNonNull;

/**
 * What a distributed scan needs at run time, for one business user's connection: where the data
 * is, how to ask for it, on whose behalf, in which SQL dialect the stores speak, and the threads
 * that read from peers.
 *
 * @param locator which peers hold which tables and value ranges
 * @param client how sub-queries reach peers
 * @param readers threads that read peers' answers (one per peer and scan while it runs)
 * @param requester the business user and role the sub-queries run for
 * @param storeDialect SQL dialect of the peers' stores
 * @param settings exchange buffering and timeout
 */
public record QueryRuntime(
    PeerLocator locator,
    PeerQueryClient client,
    ExecutorService readers,
    Requester requester,
    SqlDialect storeDialect,
    ExchangeSettings settings) {

  /** Creates a QueryRuntime. */
  public QueryRuntime {
    requireNonNull(locator, "locator is null");
    requireNonNull(client, "client is null");
    requireNonNull(readers, "readers is null");
    requireNonNull(requester, "requester is null");
    requireNonNull(storeDialect, "storeDialect is null");
    requireNonNull(settings, "settings is null");
  }
}
