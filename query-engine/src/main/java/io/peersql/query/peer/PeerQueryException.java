package io.peersql.query.peer;

import java.util.List;

/**
 * A peer that holds needed data could not answer a sub-query (unreachable, failed, refused, cut
 * off or too slow). The message names the peer and the tables, so the business user knows which
 * company's data was missing; the query fails as a whole.
 */
public final class PeerQueryException extends RuntimeException {

  private final String peerId;
  private final List<String> tables;

  /** Creates a PeerQueryException about the given peer and tables. */
  public PeerQueryException(String peerId, List<String> tables, String message, Throwable cause) {
    super(message, cause);
    this.peerId = peerId;
    this.tables = List.copyOf(tables);
  }

  /** Creates the usual message for a peer that could not answer. */
  public static PeerQueryException unanswered(PeerRef peer, List<String> tables, String why, Throwable cause) {
    return new PeerQueryException(peer.id(), tables,
        "Peer " + peer.id() + " (" + peer.address() + ") could not answer for table "
            + String.join(", ", tables) + ": " + why, cause);
  }

  /** Id of the peer that could not answer. */
  public String peerId() {
    return peerId;
  }

  /** Tables the sub-query read. */
  public List<String> tables() {
    return tables;
  }
}
