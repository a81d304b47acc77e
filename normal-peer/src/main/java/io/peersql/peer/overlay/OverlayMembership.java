package io.peersql.peer.overlay;

import io.peersql.baton.BatonNode;
import io.peersql.baton.core.NodeId;
import io.peersql.peer.PeerProperties;
import io.peersql.peer.index.BatonSharedIndex;
import io.peersql.peer.index.IndexDirectory;
import io.peersql.peer.index.IndexDirectory.PeerAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The peer's place in the BATON overlay: its node (started with the peer, on its own port), the
 * join through the access points the bootstrap hands out, and a graceful leave on shutdown that
 * hands the node's range and index entries to its neighbours.
 *
 * <p>The first peer of a network (no access points) creates the overlay. Index entries survive a
 * peer's shutdown on purpose: a query that needs a stopped peer must fail naming it, not skip it.
 */
@Component
public class OverlayMembership implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(OverlayMembership.class);

  private final OverlayProperties settings;
  private final PeerProperties peer;
  private final Path dataDir;
  private final ApplicationEventPublisher events;
  private final BatonNode node;
  private volatile IndexDirectory directory;

  /** Creates the membership and starts the overlay node (not yet joined). */
  public OverlayMembership(OverlayProperties settings, PeerProperties peer,
      @Value("${peersql.peer.data-dir}") Path dataDir, ApplicationEventPublisher events) {
    this.settings = settings;
    this.peer = peer;
    this.dataDir = dataDir;
    this.events = events;
    try {
      this.node = settings.enabled()
          ? BatonNode.start(settings.host(), settings.port(), peer.name().hashCode())
          : null;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the overlay node on " + settings.host() + ":" + settings.port(), e);
    }
  }

  /** Where this peer's overlay node listens ({@code host:port}), if it runs one. */
  public Optional<String> overlayAddress() {
    return Optional.ofNullable(node).map(n -> n.id().host() + ":" + n.id().port());
  }

  /** The network-wide index directory, once this peer has joined the overlay. */
  public Optional<IndexDirectory> directory() {
    return Optional.ofNullable(directory);
  }

  /**
   * Joins through the first access point that answers, or creates the overlay when there is
   * none. Safe to call again: a peer that has joined stays.
   *
   * @param advertisedAddress this peer's HTTP base URL, as the indexes will name it
   * @param accessPoints overlay addresses ({@code host:port}) of peers already in the network
   * @return whether the peer is in the overlay
   */
  public synchronized boolean join(String advertisedAddress, List<String> accessPoints) {
    if (node == null || directory != null) {
      return directory != null;
    }
    var self = overlayAddress().orElseThrow();
    var others = accessPoints.stream().filter(point -> !point.equals(self)).toList();
    try {
      if (others.isEmpty()) {
        node.create().get(settings.joinTimeout().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Created the overlay at {} (first peer of the network)", self);
      } else {
        joinThroughAny(others);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      log.warn("Cannot join the overlay yet: {}", e.getMessage());
      return false;
    }
    directory = new IndexDirectory(new BatonSharedIndex(node, settings.operationTimeout()),
        new PeerAddress(peer.name(), advertisedAddress), dataDir);
    events.publishEvent(new OverlayJoined(self));
    return true;
  }

  private void joinThroughAny(List<String> accessPoints) throws Exception {
    Exception last = null;
    for (var point : accessPoints) {
      try {
        node.join(NodeId.parse(point)).get(settings.joinTimeout().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Joined the overlay through {} as {}", point, node.id());
        return;
      } catch (Exception e) {
        last = e;
        log.warn("Joining the overlay through {} failed: {}", point, e.getMessage());
      }
    }
    throw last;
  }

  /** Leaves the overlay gracefully (range and entries handed over), then stops the node. */
  @Override
  public void destroy() {
    if (node == null) {
      return;
    }
    try {
      if (directory != null) {
        node.leave().get(settings.joinTimeout().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Left the overlay");
      }
    } catch (Exception e) {
      log.warn("Leaving the overlay failed ({}); stopping the node anyway", e.getMessage());
    } finally {
      node.close();
    }
  }

  /** Published once the peer is in the overlay, so that it publishes its indexes. */
  public record OverlayJoined(String overlayAddress) {
  }
}
