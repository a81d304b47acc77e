package io.peersql.bootstrap.peers;

import java.time.Instant;

/** A peer as the API shows it. */
public record PeerView(String name, String company, String network, String address, String overlayAddress,
    PeerState state, Instant createdAt, Instant registeredAt, Instant lastHeartbeat, long version) {
}
