package io.peersql.bootstrap.peers;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.ListPagingAndSortingRepository;

/** Stored peers. */
public interface PeerRepository extends ListCrudRepository<Peer, Long>, ListPagingAndSortingRepository<Peer, Long> {

  Optional<Peer> findByName(String name);

  boolean existsByName(String name);

  List<Peer> findByStateIn(Collection<PeerState> states);

  List<Peer> findByCompanyIdAndStateNot(long companyId, PeerState state);

  List<Peer> findByNetworkIdAndCompanyIdAndStateNot(long networkId, long companyId, PeerState state);

  List<Peer> findByNetworkIdAndStateOrderByName(long networkId, PeerState state);

  Page<Peer> findByNetworkId(long networkId, Pageable pageable);

  Page<Peer> findByCompanyId(long companyId, Pageable pageable);
}
