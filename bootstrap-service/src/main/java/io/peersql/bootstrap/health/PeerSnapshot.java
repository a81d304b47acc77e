package io.peersql.bootstrap.health;

import java.time.Instant;

/** A peer at the moment its health changed, as handed to a {@link PeerLifecycle}. */
public record PeerSnapshot(String name, String company, String network, String address, Instant lastHeartbeat) {
}
