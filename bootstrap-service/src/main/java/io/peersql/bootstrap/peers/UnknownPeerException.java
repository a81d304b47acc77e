package io.peersql.bootstrap.peers;

/** A request named a peer that never registered. */
public class UnknownPeerException extends RuntimeException {

  public UnknownPeerException(String name) {
    super("No peer named '" + name + "' is registered");
  }
}
