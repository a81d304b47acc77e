package io.peersql.bootstrap.peers;

import static java.util.Objects.requireNonNull;

import io.peersql.bootstrap.events.NetworkEventKind;
import io.peersql.bootstrap.events.NetworkEvents;
import io.peersql.bootstrap.health.PeerLifecycle;
import io.peersql.bootstrap.networks.NetworkService;
import io.peersql.bootstrap.schema.GlobalSchema;
import io.peersql.bootstrap.schema.GlobalSchemaService;
import io.peersql.bootstrap.security.Actor;
import io.peersql.bootstrap.web.ApiProblem;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The peer side of the registry: a peer process, logged in with its own credentials,
 * registers its addresses, heartbeats, and learns where to join the overlay. A suspect or
 * failed peer that reports in has recovered.
 */
@Service
public class PeerCheckIn {

  private static final Logger log = LoggerFactory.getLogger(PeerCheckIn.class);
  private static final int ATTEMPTS = 3;

  private final PeerRepository peers;
  private final NetworkService networks;
  private final GlobalSchemaService schemas;
  private final NetworkEvents events;
  private final PeerLifecycle lifecycle;
  private final PeerViews views;
  private final TransactionTemplate transactions;
  private final Clock clock;

  /** Creates a PeerCheckIn. */
  public PeerCheckIn(PeerRepository peers, NetworkService networks, GlobalSchemaService schemas, NetworkEvents events,
      PeerLifecycle lifecycle, PeerViews views, TransactionTemplate transactions, Clock clock) {
    this.peers = requireNonNull(peers, "peers is null");
    this.networks = requireNonNull(networks, "networks is null");
    this.schemas = requireNonNull(schemas, "schemas is null");
    this.events = requireNonNull(events, "events is null");
    this.lifecycle = requireNonNull(lifecycle, "lifecycle is null");
    this.views = requireNonNull(views, "views is null");
    this.transactions = requireNonNull(transactions, "transactions is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Records that the calling peer's process is up at these addresses. */
  public HeartbeatReply register(Actor caller, PeerRegistration registration) {
    return update(caller, peer -> peer.registered(registration.address(), registration.overlayAddress(),
        clock.instant()));
  }

  /** Records that the calling peer is alive; it must have registered since it was created. */
  public HeartbeatReply heartbeat(Actor caller) {
    return update(caller, peer -> {
      if (peer.state() == PeerState.STARTING) {
        throw ApiProblem.conflict("not-registered", "Peer '" + peer.name() + "' has not registered yet;"
            + " POST /api/peer/registration first");
      }
      return peer.heartbeat(clock.instant());
    });
  }

  /** The calling peer as the registry knows it. */
  public PeerView self(Actor caller) {
    return views.view(self(caller.peerId()));
  }

  /** The current global schema of the calling peer's network, or 404. */
  public GlobalSchema schema(Actor caller) {
    return schemas.requireCurrent(networks.byId(self(caller.peerId()).networkId()));
  }

  /** Active peers of the caller's network, other than itself, that run an overlay endpoint. */
  public List<AccessPoint> accessPoints(Actor caller) {
    var self = self(caller.peerId());
    return peers.findByNetworkIdAndStateOrderByName(self.networkId(), PeerState.ACTIVE).stream()
        .filter(peer -> !peer.id().equals(self.id()) && peer.overlayAddress() != null)
        .map(peer -> new AccessPoint(peer.name(), views.companyName(peer), peer.overlayAddress(), peer.address()))
        .toList();
  }

  /** The calling peer's record; it exists as long as its account works. */
  Peer self(long peerId) {
    return peers.findById(peerId).orElseThrow(() -> ApiProblem.notFound("This peer no longer exists"));
  }

  private HeartbeatReply update(Actor caller, UnaryOperator<Peer> change) {
    // A heartbeat may race with the health monitor's sweep over the same row: retry on a version clash.
    for (int attempt = 1; ; attempt++) {
      try {
        var before = self(caller.peerId());
        if (before.state() == PeerState.RETIRED) {
          throw ApiProblem.conflict("peer-retired", "Peer '" + before.name() + "' is retired");
        }
        var after = transactions.execute(status -> {
          var saved = peers.save(change.apply(before));
          var company = views.companyName(saved);
          if (before.state() == PeerState.STARTING) {
            events.record(saved.networkId(), NetworkEventKind.PEER_JOINED, company, saved.name(),
                "Peer '" + saved.name() + "' registered from " + saved.address());
          } else if (before.state() == PeerState.SUSPECT || before.state() == PeerState.FAILED) {
            events.record(saved.networkId(), NetworkEventKind.PEER_RECOVERED, company, saved.name(),
                "Peer '" + saved.name() + "' recovered (was " + before.state().name().toLowerCase() + ")");
          }
          return saved;
        });
        if (before.state() == PeerState.SUSPECT || before.state() == PeerState.FAILED) {
          try {
            lifecycle.peerRecovered(views.snapshot(after));
          } catch (RuntimeException e) {
            log.error("The peer lifecycle hook failed for peer {}", after.name(), e);
          }
        }
        var schema = schemas.current(networks.byId(after.networkId()));
        return new HeartbeatReply(after.state(), schema.map(GlobalSchema::version).orElse(0));
      } catch (OptimisticLockingFailureException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
