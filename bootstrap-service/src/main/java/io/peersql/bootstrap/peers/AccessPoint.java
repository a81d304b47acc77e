package io.peersql.bootstrap.peers;

/** An active peer through which another peer may join the overlay. */
public record AccessPoint(String peer, String company, String overlayAddress, String address) {
}
