package io.peersql.bootstrap.events;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.ListCrudRepository;

/** Stored network events. */
interface NetworkEventRepository extends ListCrudRepository<NetworkEvent, Long> {

  Page<NetworkEvent> findByNetworkId(long networkId, Pageable pageable);

  Page<NetworkEvent> findByNetworkIdAndKind(long networkId, NetworkEventKind kind, Pageable pageable);
}
