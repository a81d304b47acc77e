package io.peersql.query.peer;

import java.net.URI;

import static java.util.Objects.requireNonNull;

/**
 * A peer of the network as the query engine sees it: its id (for messages and plans) and the base
 * address of its HTTP endpoint; sub-queries go to {@code address + PeerQueryService.PATH}.
 *
 * @param id the peer's id in the network
 * @param address base URI, for example {@code http://10.0.0.7:8080}
 */
public record PeerRef(String id, URI address) {

  /** Creates a PeerRef. */
  public PeerRef {
    requireNonNull(id, "id is null");
    requireNonNull(address, "address is null");
  }

  @Override
  public String toString() {
    return id + "@" + address;
  }
}
