package io.peersql.bootstrap.networks;

import java.util.List;

/** What the networks feature needs to know of peers: which ones a company still runs in a network. */
public interface MemberPeers {

  /** Names of the company's peers in the network that are not retired. */
  List<String> unretiredPeers(long networkId, long companyId);
}
