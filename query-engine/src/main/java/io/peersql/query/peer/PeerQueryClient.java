package io.peersql.query.peer;

/**
 * The requesting side of the peer-to-peer sub-query protocol. Implementations must be thread-safe
 * and respond to thread interruption by aborting the transfer.
 */
@FunctionalInterface
public interface PeerQueryClient {

  /** Sends a sub-query to a peer and returns its rows; throws {@link PeerQueryException}. */
  RowSource open(PeerRef peer, SubQuery subQuery);
}
