package io.peersql.bootstrap.peers;

import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import static java.util.Objects.requireNonNull;

/** Registers peers, records their heartbeats and lists them. */
@Service
public class PeerRegistry {

  private final PeerRepository peers;
  private final Clock clock;

  /** Creates a PeerRegistry over the stored peers, reading time from {@code clock}. */
  public PeerRegistry(PeerRepository peers, Clock clock) {
    this.peers = requireNonNull(peers, "peers is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Registers a peer, or re-registers a known one (a restarted peer may come back on a new
   * address). A name belongs to one company: another company cannot take it over.
   */
  @Transactional
  public Peer register(PeerRegistration registration) {
    var now = clock.instant();
    var existing = peers.findByName(registration.name());
    if (existing.isPresent() && !existing.get().company().equals(registration.company())) {
      throw new PeerNameTakenException(registration.name(), existing.get().company());
    }
    var peer = existing
        .map(known -> known.reregistered(registration.company(), registration.address(), now))
        .orElseGet(() -> new Peer(null, registration.name(), registration.company(),
            registration.address(), PeerState.ACTIVE, now, now, null));
    return peers.save(peer);
  }

  /** Records that the named peer is alive. */
  @Transactional
  public Peer heartbeat(String name) {
    var peer = peers.findByName(name).orElseThrow(() -> new UnknownPeerException(name));
    return peers.save(peer.heartbeat(clock.instant()));
  }

  /** Every registered peer, by name. */
  public List<Peer> list() {
    return peers.findAllByOrderByName();
  }
}
