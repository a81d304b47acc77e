package io.peersql.peer.query;

import io.peersql.peer.index.IndexDirectory;
import io.peersql.peer.index.IndexDirectory.PeerAddress;
import io.peersql.peer.overlay.OverlayMembership;
import io.peersql.query.peer.PeerLocator;
import io.peersql.query.peer.PeerRef;
import java.net.URI;
import java.util.List;
import java.util.OptionalLong;
import org.springframework.stereotype.Component;

/**
 * Answers the query engine's "which peers" questions from the overlay's table and range
 * indexes, looked up through this peer's own overlay node: no central directory.
 */
@Component
class OverlayPeerLocator implements PeerLocator {

  private final OverlayMembership membership;

  OverlayPeerLocator(OverlayMembership membership) {
    this.membership = membership;
  }

  private IndexDirectory directory() {
    return membership.directory().orElseThrow(() -> new IllegalStateException(
        "This peer has not joined the overlay yet, so it cannot find the peers holding data; try again shortly"));
  }

  private static PeerRef ref(PeerAddress peer) {
    return new PeerRef(peer.name(), URI.create(peer.address()));
  }

  @Override
  public List<PeerRef> peersHolding(String table) {
    try {
      return directory().peersHolding(table).keySet().stream().map(OverlayPeerLocator::ref).toList();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("The overlay did not answer which peers hold " + table + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<PeerRef> peersOverlapping(String table, String column, Comparable<?> low, Comparable<?> high) {
    try {
      return directory().peersOverlapping(table, column, low, high).stream().map(OverlayPeerLocator::ref).toList();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("The overlay did not answer which peers hold " + table + "." + column
          + " in [" + low + ", " + high + "]: " + e.getMessage(), e);
    }
  }

  @Override
  public OptionalLong rowCount(PeerRef peer, String table) {
    try {
      return directory().peersHolding(table).entrySet().stream()
          .filter(entry -> entry.getKey().name().equals(peer.id()))
          .mapToLong(java.util.Map.Entry::getValue)
          .findFirst();
    } catch (Exception e) {
      return OptionalLong.empty();
    }
  }
}
