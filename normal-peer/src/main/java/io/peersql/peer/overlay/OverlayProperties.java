package io.peersql.peer.overlay;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the peer's overlay node ({@code peersql.peer.overlay.*}).
 *
 * @param enabled whether the peer joins the overlay at all (off only for a standalone store)
 * @param host address the node listens on and advertises
 * @param port port the node listens on; 0 picks a free one
 * @param joinTimeout how long joining may take before the peer gives up on an access point
 * @param operationTimeout how long one index operation may wait for the overlay
 * @param lookupCacheTtl how long the answers of index lookups are reused (what other peers
 *     publish becomes visible to this peer's queries at most this much later); 0 turns it off
 */
@ConfigurationProperties("peersql.peer.overlay")
public record OverlayProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("127.0.0.1") String host,
    @DefaultValue("0") int port,
    @DefaultValue("10s") Duration joinTimeout,
    @DefaultValue("10s") Duration operationTimeout,
    @DefaultValue("2s") Duration lookupCacheTtl) {
}
