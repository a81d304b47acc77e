package io.peersql.bootstrap.networks;

import java.util.Optional;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.ListPagingAndSortingRepository;

/** Stored networks. */
interface NetworkRepository extends ListCrudRepository<Network, Long>, ListPagingAndSortingRepository<Network, Long> {

  Optional<Network> findByName(String name);

  boolean existsByName(String name);
}
