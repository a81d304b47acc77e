package io.peersql.bootstrap.peers;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.ListCrudRepository;

/** Stored peers. */
public interface PeerRepository extends ListCrudRepository<Peer, Long> {

  Optional<Peer> findByName(String name);

  List<Peer> findAllByOrderByName();
}
