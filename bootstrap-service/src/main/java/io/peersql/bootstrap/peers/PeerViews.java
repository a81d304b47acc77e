package io.peersql.bootstrap.peers;

import io.peersql.bootstrap.companies.CompanyService;
import io.peersql.bootstrap.health.PeerSnapshot;
import io.peersql.bootstrap.networks.NetworkService;
import org.springframework.stereotype.Component;

/** Shows stored peers with their company's and network's names. */
@Component
public class PeerViews {

  private final CompanyService companies;
  private final NetworkService networks;

  PeerViews(CompanyService companies, NetworkService networks) {
    this.companies = companies;
    this.networks = networks;
  }

  /** The peer as the API shows it. */
  public PeerView view(Peer peer) {
    return new PeerView(peer.name(), companyName(peer), networks.byId(peer.networkId()).name(), peer.address(),
        peer.overlayAddress(), peer.state(), peer.createdAt(), peer.registeredAt(), peer.lastHeartbeat(),
        peer.version());
  }

  /** The peer as handed to the lifecycle hook. */
  public PeerSnapshot snapshot(Peer peer) {
    return new PeerSnapshot(peer.name(), companyName(peer), networks.byId(peer.networkId()).name(), peer.address(),
        peer.lastHeartbeat());
  }

  /** The name of the peer's company. */
  public String companyName(Peer peer) {
    return companies.byId(peer.companyId()).name();
  }
}
