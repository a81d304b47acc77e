package io.peersql.bootstrap.roles;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.ListCrudRepository;

/** Stored roles. */
interface NetworkRoleRepository extends ListCrudRepository<NetworkRole, Long> {

  List<NetworkRole> findByNetworkIdOrderByName(long networkId);

  Optional<NetworkRole> findByNetworkIdAndName(long networkId, String name);
}
