package io.peersql.bootstrap.peers;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * One normal peer of the network as the bootstrap knows it.
 *
 * @param id surrogate key
 * @param name the peer's unique name
 * @param company the company that owns the peer
 * @param address where the peer serves its HTTP API and JDBC endpoint ({@code http://host:port})
 * @param state lifecycle state
 * @param registeredAt when the peer first registered
 * @param lastHeartbeat when the peer last reported itself alive
 * @param version optimistic-concurrency version
 */
@Table
public record Peer(
    @Id Long id,
    String name,
    String company,
    String address,
    PeerState state,
    Instant registeredAt,
    Instant lastHeartbeat,
    @Version Long version) {

  /** Returns this peer as re-registered from a (possibly new) address at {@code now}. */
  Peer reregistered(String company, String address, Instant now) {
    return new Peer(id, name, company, address, PeerState.ACTIVE, registeredAt, now, version);
  }

  /** Returns this peer after a heartbeat at {@code now}. */
  Peer heartbeat(Instant now) {
    return new Peer(id, name, company, address, PeerState.ACTIVE, registeredAt, now, version);
  }
}
