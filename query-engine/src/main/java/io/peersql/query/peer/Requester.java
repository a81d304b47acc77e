package io.peersql.query.peer;

import static java.util.Objects.requireNonNull;

/**
 * The business user on whose behalf a query runs, and their role in the network; carried with
 * every sub-query so that the owning peer applies its access rules for that role.
 *
 * @param user user name, as authenticated by the requesting peer
 * @param role role granted to the user in the corporate network ({@code ""} if none)
 * @param peerId id of the peer where the user connected
 */
public record Requester(String user, String role, String peerId) {

  /** Creates a Requester. */
  public Requester {
    requireNonNull(user, "user is null");
    requireNonNull(role, "role is null");
    requireNonNull(peerId, "peerId is null");
  }
}
