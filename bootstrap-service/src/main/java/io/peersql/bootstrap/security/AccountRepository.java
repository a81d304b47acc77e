package io.peersql.bootstrap.security;

import java.util.List;
import java.util.Optional;
import org.springframework.data.repository.ListCrudRepository;

/** Stored accounts. */
interface AccountRepository extends ListCrudRepository<Account, Long> {

  Optional<Account> findByUsername(String username);

  Optional<Account> findByPeerId(long peerId);

  List<Account> findByCompanyId(long companyId);

  boolean existsByUsername(String username);
}
