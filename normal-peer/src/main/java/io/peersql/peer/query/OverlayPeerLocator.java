package io.peersql.peer.query;

import io.peersql.peer.index.IndexDirectory;
import io.peersql.peer.index.IndexDirectory.PeerAddress;
import io.peersql.peer.overlay.OverlayMembership;
import io.peersql.query.peer.PeerLocator;
import io.peersql.query.peer.PeerRef;
import io.peersql.query.peer.ValueBucket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Answers the query engine's "which peers" questions from the overlay's table and range
 * indexes, looked up through this peer's own overlay node: no central directory.
 */
@Component
class OverlayPeerLocator implements PeerLocator {

  private final OverlayMembership membership;
  /** Peer references by index entry: every query resolves its peers, parsing addresses once. */
  private final Map<PeerAddress, PeerRef> refs = new ConcurrentHashMap<>();

  OverlayPeerLocator(OverlayMembership membership) {
    this.membership = membership;
  }

  private IndexDirectory directory() {
    return membership.directory().orElseThrow(() -> new IllegalStateException(
        "This peer has not joined the overlay yet, so it cannot find the peers holding data; try again shortly"));
  }

  private PeerRef ref(PeerAddress peer) {
    return refs.computeIfAbsent(peer, p -> new PeerRef(p.name(), URI.create(p.address())));
  }

  @Override
  public List<PeerRef> peersHolding(String table) {
    try {
      return directory().peersHolding(table).keySet().stream().map(this::ref).toList();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("The overlay did not answer which peers hold " + table + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<PeerRef> peersOverlapping(String table, String column, Comparable<?> low, Comparable<?> high) {
    try {
      return directory().peersOverlapping(table, column, low, high).stream().map(this::ref).toList();
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

  @Override
  public List<ValueBucket> histogram(String table, String column) {
    try {
      return directory().histogram(table, column).stream()
          .filter(bucket -> bucket.low() instanceof Comparable<?> && bucket.high() instanceof Comparable<?>)
          .map(bucket -> new ValueBucket((Comparable<?>) bucket.low(), (Comparable<?>) bucket.high(), bucket.rows(),
              bucket.distinct()))
          .toList();
    } catch (Exception e) {
      // Statistics only: without them the planner guesses, it does not fail.
      return List.of();
    }
  }
}
