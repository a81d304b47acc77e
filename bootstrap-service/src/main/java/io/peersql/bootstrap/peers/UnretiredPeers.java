package io.peersql.bootstrap.peers;

import io.peersql.bootstrap.networks.MemberPeers;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Tells the networks feature which peers a company still runs in a network. */
@Component
class UnretiredPeers implements MemberPeers {

  private final PeerRepository peers;

  UnretiredPeers(PeerRepository peers) {
    this.peers = peers;
  }

  @Override
  @Transactional(readOnly = true)
  public List<String> unretiredPeers(long networkId, long companyId) {
    return peers.findByNetworkIdAndCompanyIdAndStateNot(networkId, companyId, PeerState.RETIRED).stream()
        .map(Peer::name).sorted().toList();
  }
}
