package io.peersql.bootstrap.peers;

/** The lifecycle of a normal peer as seen by the bootstrap service. */
public enum PeerState {
  STARTING,
  ACTIVE,
  SUSPECT,
  FAILED,
  RETIRED
}
