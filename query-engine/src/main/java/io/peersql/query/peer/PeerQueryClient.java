package io.peersql.query.peer;

import static java.util.Objects.requireNonNull;

/**
 * The requesting side of the peer-to-peer sub-query protocol. Implementations must be thread-safe
 * and respond to thread interruption by aborting the transfer.
 */
@FunctionalInterface
public interface PeerQueryClient {

  /** Sends a sub-query to a peer and returns its rows; throws {@link PeerQueryException}. */
  RowSource open(PeerRef peer, SubQuery subQuery);

  /**
   * A client that answers the sub-queries addressed to this peer itself (by id) in-process through
   * its own {@link PeerQueryService}, with the same access review, and sends the others through
   * {@code remote}. A company's queries over its own slice then cost no HTTP request to itself.
   */
  static PeerQueryClient preferLocal(String selfId, PeerQueryService self, PeerQueryClient remote) {
    requireNonNull(selfId, "selfId is null");
    requireNonNull(self, "self is null");
    requireNonNull(remote, "remote is null");
    return (peer, subQuery) -> peer.id().equals(selfId) ? self.open(subQuery) : remote.open(peer, subQuery);
  }
}
