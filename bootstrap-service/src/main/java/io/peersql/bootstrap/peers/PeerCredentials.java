package io.peersql.bootstrap.peers;

/**
 * A peer's login, shown once when issued: the peer authenticates to the bootstrap with HTTP
 * Basic as {@code username}/{@code secret}. Only a hash of the secret is stored.
 */
public record PeerCredentials(PeerView peer, String username, String secret) {
}
