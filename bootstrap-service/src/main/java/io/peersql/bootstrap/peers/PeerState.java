package io.peersql.bootstrap.peers;

/** The lifecycle of a normal peer as seen by the bootstrap service. */
public enum PeerState {
  /** Created by its company's admin; its process has not registered yet. */
  STARTING,
  /** Registered and heartbeating. */
  ACTIVE,
  /** Missed heartbeats for longer than {@code suspect-after}. */
  SUSPECT,
  /** Missed heartbeats for longer than {@code fail-after}: handed to the {@code PeerLifecycle}. */
  FAILED,
  /** Retired by its company (or with its company): its credentials no longer work. */
  RETIRED
}
