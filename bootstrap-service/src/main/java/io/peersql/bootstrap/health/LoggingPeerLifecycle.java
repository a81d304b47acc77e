package io.peersql.bootstrap.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default {@link PeerLifecycle}: logs what a provisioner would act on. */
class LoggingPeerLifecycle implements PeerLifecycle {

  private static final Logger log = LoggerFactory.getLogger(LoggingPeerLifecycle.class);

  @Override
  public void peerSuspect(PeerSnapshot peer) {
    log.warn("Peer {} of {} in network {} is suspect: no heartbeat since {}", peer.name(), peer.company(),
        peer.network(), peer.lastHeartbeat());
  }

  @Override
  public void peerFailed(PeerSnapshot peer) {
    log.error("Peer {} of {} in network {} failed: no heartbeat since {}; no provisioner configured to replace it",
        peer.name(), peer.company(), peer.network(), peer.lastHeartbeat());
  }

  @Override
  public void peerRecovered(PeerSnapshot peer) {
    log.info("Peer {} of {} in network {} recovered", peer.name(), peer.company(), peer.network());
  }
}
