package io.peersql.bootstrap.peers;

/**
 * The bootstrap's answer to a heartbeat or registration.
 *
 * @param state the peer's state now
 * @param schemaVersion the network's current global schema version (0 when it has none): a peer
 *     that holds an older one fetches the new one
 */
public record HeartbeatReply(PeerState state, int schemaVersion) {
}
