package io.peersql.bootstrap.networks;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.ListCrudRepository;

/** Stored memberships. */
interface NetworkMemberRepository extends ListCrudRepository<NetworkMember, Long> {

  List<NetworkMember> findByNetworkIdOrderByJoinedAt(long networkId);

  List<NetworkMember> findByCompanyId(long companyId);

  Optional<NetworkMember> findByNetworkIdAndCompanyId(long networkId, long companyId);

  boolean existsByNetworkIdAndCompanyId(long networkId, long companyId);
}
