package io.peersql.bootstrap.peers;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * One normal peer as the bootstrap knows it.
 *
 * @param id surrogate key
 * @param name unique name; also the peer's login
 * @param companyId the owning company
 * @param networkId the network the peer serves
 * @param address base URL of the peer's HTTP API and JDBC endpoint, once it registered
 * @param overlayAddress where the peer's BATON overlay endpoint listens, if it has one: other
 *     peers join the overlay through it
 * @param state lifecycle state
 * @param createdAt when its company's admin created it
 * @param registeredAt when the peer process last registered
 * @param lastHeartbeat when it last reported itself alive
 * @param version optimistic-concurrency version
 */
@Table
public record Peer(@Id Long id, String name, long companyId, long networkId, String address, String overlayAddress,
    PeerState state, Instant createdAt, Instant registeredAt, Instant lastHeartbeat, @Version Long version) {

  /** This peer after its process registered from {@code address} at {@code now}. */
  Peer registered(String address, String overlayAddress, Instant now) {
    return new Peer(id, name, companyId, networkId, address, overlayAddress, PeerState.ACTIVE, createdAt, now, now,
        version);
  }

  /** This peer after a heartbeat at {@code now}. */
  Peer heartbeat(Instant now) {
    return new Peer(id, name, companyId, networkId, address, overlayAddress, PeerState.ACTIVE, createdAt,
        registeredAt, now, version);
  }

  /** This peer in another state. */
  public Peer inState(PeerState state) {
    return new Peer(id, name, companyId, networkId, address, overlayAddress, state, createdAt, registeredAt,
        lastHeartbeat, version);
  }
}
