package io.peersql.bootstrap.companies;

import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.ListPagingAndSortingRepository;

/** Stored companies. */
interface CompanyRepository extends ListCrudRepository<Company, Long>, ListPagingAndSortingRepository<Company, Long> {

  Optional<Company> findByName(String name);

  boolean existsByName(String name);

  Page<Company> findByState(CompanyState state, Pageable pageable);

  Page<Company> findPageById(long id, Pageable pageable);
}
