package io.peersql.bootstrap.health;

import static java.util.Objects.requireNonNull;

import io.peersql.bootstrap.events.NetworkEventKind;
import io.peersql.bootstrap.events.NetworkEvents;
import io.peersql.bootstrap.peers.Peer;
import io.peersql.bootstrap.peers.PeerRepository;
import io.peersql.bootstrap.peers.PeerViews;
import io.peersql.bootstrap.peers.PeerState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Watches heartbeats: an active peer silent for longer than {@code suspect-after} becomes
 * suspect, a peer silent for longer than {@code fail-after} fails. Each change is recorded as a
 * network event and handed to the {@link PeerLifecycle}. Peers that never registered
 * (starting) or are retired are not watched.
 */
@Service
public class HealthMonitor {

  private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

  private final PeerRepository peers;
  private final PeerViews snapshots;
  private final NetworkEvents events;
  private final PeerLifecycle lifecycle;
  private final HealthProperties properties;
  private final TransactionTemplate transactions;
  private final Clock clock;

  /** Creates a HealthMonitor. */
  public HealthMonitor(PeerRepository peers, PeerViews snapshots, NetworkEvents events, PeerLifecycle lifecycle,
      HealthProperties properties, TransactionTemplate transactions, Clock clock) {
    this.peers = requireNonNull(peers, "peers is null");
    this.snapshots = requireNonNull(snapshots, "snapshots is null");
    this.events = requireNonNull(events, "events is null");
    this.lifecycle = requireNonNull(lifecycle, "lifecycle is null");
    this.properties = requireNonNull(properties, "properties is null");
    this.transactions = requireNonNull(transactions, "transactions is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Looks at every watched peer once; returns the peers whose state changed, in their new state. */
  public List<Peer> sweep() {
    var now = clock.instant();
    var changed = new ArrayList<Peer>();
    for (var peer : peers.findByStateIn(List.of(PeerState.ACTIVE, PeerState.SUSPECT))) {
      var silence = Duration.between(peer.lastHeartbeat(), now);
      var target = silence.compareTo(properties.failAfter()) > 0 ? PeerState.FAILED
          : silence.compareTo(properties.suspectAfter()) > 0 ? PeerState.SUSPECT : peer.state();
      if (target == peer.state()) {
        continue;
      }
      try {
        var updated = transactions.execute(status -> {
          var saved = peers.save(peer.inState(target));
          events.record(peer.networkId(), target == PeerState.FAILED ? NetworkEventKind.PEER_FAILED
                  : NetworkEventKind.PEER_SUSPECT, snapshots.companyName(peer), peer.name(),
              "Peer '" + peer.name() + "' is " + target.name().toLowerCase() + ": no heartbeat for "
                  + silence.toSeconds() + " s");
          return saved;
        });
        changed.add(updated);
        var snapshot = snapshots.snapshot(updated);
        notify(target == PeerState.FAILED ? lifecycle::peerFailed : lifecycle::peerSuspect, snapshot);
      } catch (OptimisticLockingFailureException e) {
        // A heartbeat arrived meanwhile: the peer is alive, nothing to do until the next sweep.
        log.debug("Peer {} changed during the sweep; looking again next time", peer.name());
      }
    }
    return changed;
  }

  private static void notify(Consumer<PeerSnapshot> hook, PeerSnapshot peer) {
    try {
      hook.accept(peer);
    } catch (RuntimeException e) {
      log.error("The peer lifecycle hook failed for peer {}", peer.name(), e);
    }
  }
}
