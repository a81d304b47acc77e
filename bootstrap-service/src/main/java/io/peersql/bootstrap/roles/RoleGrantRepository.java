package io.peersql.bootstrap.roles;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.ListCrudRepository;

/** Stored grants. */
interface RoleGrantRepository extends ListCrudRepository<RoleGrant, Long> {

  List<RoleGrant> findByNetworkId(long networkId);

  List<RoleGrant> findByNetworkIdAndCompanyId(long networkId, long companyId);

  Optional<RoleGrant> findByCompanyIdAndRoleId(long companyId, long roleId);

  boolean existsByRoleId(long roleId);
}
