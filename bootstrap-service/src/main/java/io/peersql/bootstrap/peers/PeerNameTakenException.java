package io.peersql.bootstrap.peers;

/** A peer tried to register under a name that another company's peer holds. */
public class PeerNameTakenException extends RuntimeException {

  public PeerNameTakenException(String name, String owner) {
    super("The peer name '" + name + "' is already registered by company '" + owner + "'");
  }
}
