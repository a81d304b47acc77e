package io.peersql.bootstrap.health;

/**
 * What the bootstrap does when a peer's health changes. Operations plug a provisioner in here
 * (restart or replace a failed instance); the default only logs. Called after the state change
 * is committed, outside any transaction; an exception is logged and does not undo the change.
 */
public interface PeerLifecycle {

  /** The peer missed heartbeats for longer than {@code suspect-after}. */
  void peerSuspect(PeerSnapshot peer);

  /** The peer missed heartbeats for longer than {@code fail-after}. */
  void peerFailed(PeerSnapshot peer);

  /** A suspect or failed peer heartbeated or registered again. */
  void peerRecovered(PeerSnapshot peer);
}
