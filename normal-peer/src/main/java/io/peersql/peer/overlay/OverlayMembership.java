package io.peersql.peer.overlay;

import io.peersql.baton.BatonNode;
import io.peersql.baton.core.NodeEvent;
import io.peersql.baton.core.NodeId;
import io.peersql.peer.PeerProperties;
import io.peersql.peer.index.BatonSharedIndex;
import io.peersql.peer.index.CachingSharedIndex;
import io.peersql.peer.index.IndexDirectory;
import io.peersql.peer.index.IndexDirectory.PeerAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
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
  private volatile BatonNode node;
  private static final Duration RETRY = Duration.ofSeconds(2);

  private volatile IndexDirectory directory;
  private volatile Thread joiner;
  private volatile String advertisedAddress;
  private volatile Supplier<List<AccessPoint>> accessPoints;
  private volatile boolean stopping;
  /** After a fence the overlay exists: creating another would split the network's indexes in two. */
  private volatile boolean rejoining;

  /** Creates the membership and starts the overlay node (not yet joined). */
  public OverlayMembership(OverlayProperties settings, PeerProperties peer,
      @Value("${peersql.peer.data-dir}") Path dataDir, ApplicationEventPublisher events) {
    this.settings = settings;
    this.peer = peer;
    this.dataDir = dataDir;
    this.events = events;
    this.node = settings.enabled() ? startNode(settings.port()) : null;
  }

  private BatonNode startNode(int port) {
    BatonNode started;
    try {
      started = BatonNode.start(settings.host(), port, peer.name().hashCode());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the overlay node on " + settings.host() + ":" + port, e);
    }
    started.subscribe(event -> {
      // Fenced: cut off for too long. JoinAborted once in: it left its place to replace a
      // departing node that then vanished. Either way the node is out of the tree.
      if (event instanceof NodeEvent.Fenced || event instanceof NodeEvent.JoinAborted && directory != null) {
        Thread.ofVirtual().name("peersql-overlay-rejoin").start(() -> rejoin(started, event));
      }
    });
    return started;
  }

  /**
   * A node that heard from none of its neighbours for a while (a partition, or a peer starved of
   * CPU or paused) fences itself: it stops serving, and its neighbours hand its range to a
   * replacement. It cannot come back by itself, so the peer starts a fresh node and joins again;
   * publishing its indexes follows the join as at start, and the bootstrap learns the new
   * overlay address ({@link OverlayJoined}). The fresh node listens on a new free port (or on
   * the configured fixed port), so that links other nodes still keep to the old one fail and
   * are repaired instead of reaching a node that is not in the tree.
   */
  private void rejoin(BatonNode out, NodeEvent why) {
    synchronized (this) {
      if (stopping || node != out) {
        return;
      }
      log.warn("This peer's overlay node is out of the tree ({}); starting a fresh node and rejoining the overlay",
          why);
      directory = null;
      rejoining = true;
      out.close();
      node = startNode(settings.port());
      joiner = null;
    }
    if (advertisedAddress != null) {
      joinInBackground(advertisedAddress, accessPoints);
    }
  }

  /** Where this peer's overlay node listens ({@code host:port}), if it runs one. */
  public Optional<String> overlayAddress() {
    return Optional.ofNullable(node).map(n -> n.id().host() + ":" + n.id().port());
  }

  /** This peer's overlay node, if it runs one (joined or not). */
  public Optional<BatonNode> node() {
    return Optional.ofNullable(node);
  }

  /** The network-wide index directory, once this peer has joined the overlay. */
  public Optional<IndexDirectory> directory() {
    return Optional.ofNullable(directory);
  }

  /** A peer already in the network through which this one may join. */
  public record AccessPoint(String peer, String overlayAddress) {
  }

  /**
   * Joins in the background, asking {@code accessPoints} afresh before every attempt, until this
   * peer is in the overlay: through the first access point that answers; or, when there is none,
   * or none answers and this peer's name is the smallest of them all, by creating the overlay.
   * That tie-break means peers registering at the same moment end in one overlay, not two.
   *
   * @param advertisedAddress this peer's HTTP base URL, as the indexes will name it
   */
  public synchronized void joinInBackground(String advertisedAddress, Supplier<List<AccessPoint>> accessPoints) {
    if (node == null || joiner != null) {
      return;
    }
    this.advertisedAddress = advertisedAddress;
    this.accessPoints = accessPoints;
    joiner = Thread.ofVirtual().name("peersql-overlay-join").start(() -> {
      while (directory == null && !Thread.currentThread().isInterrupted()) {
        try {
          if (join(advertisedAddress, accessPoints.get())) {
            return;
          }
          Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          log.warn("Cannot learn the overlay's access points yet: {}", e.getMessage());
          try {
            Thread.sleep(RETRY.toMillis());
          } catch (InterruptedException interrupted) {
            return;
          }
        }
      }
    });
  }

  /** One attempt to enter the overlay; returns whether this peer is in it. */
  synchronized boolean join(String advertisedAddress, List<AccessPoint> accessPoints) throws InterruptedException {
    if (node == null || directory != null) {
      return directory != null;
    }
    var self = overlayAddress().orElseThrow();
    var others = accessPoints.stream().filter(point -> !point.overlayAddress().equals(self)).toList();
    try {
      if (!others.isEmpty() && joinThroughAny(others)) {
        log.info("Joined the overlay as {}", self);
      } else if (!rejoining && others.stream().allMatch(point -> peer.name().compareTo(point.peer()) < 0)) {
        node.create().get(settings.joinTimeout().toMillis(), TimeUnit.MILLISECONDS);
        log.info("Created the overlay at {} (first peer of the network)", self);
      } else {
        return false;
      }
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Cannot create the overlay: {}", e.getMessage());
      return false;
    }
    directory = new IndexDirectory(new CachingSharedIndex(new BatonSharedIndex(node, settings.operationTimeout()),
        settings.lookupCacheTtl()),
        new PeerAddress(peer.name(), advertisedAddress), dataDir);
    events.publishEvent(new OverlayJoined(self));
    return true;
  }

  private boolean joinThroughAny(List<AccessPoint> accessPoints) throws InterruptedException {
    for (var point : accessPoints) {
      try {
        node.join(NodeId.parse(point.overlayAddress())).get(settings.joinTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return true;
      } catch (ExecutionException e) {
        log.info("Joining the overlay through {} ({}) failed: {}", point.peer(), point.overlayAddress(),
            e.getCause() == null ? e : e.getCause().getMessage());
      } catch (TimeoutException e) {
        log.info("Joining the overlay through {} ({}) got no answer within {}", point.peer(), point.overlayAddress(),
            settings.joinTimeout());
      }
    }
    return false;
  }

  /** Leaves the overlay gracefully (range and entries handed over), then stops the node. */
  @Override
  public void destroy() {
    stopping = true;
    if (joiner != null) {
      joiner.interrupt();
    }
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
