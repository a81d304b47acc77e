package io.peersql.bootstrap.schema;

import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.ListCrudRepository;

/** Stored schema versions. */
interface SchemaVersionRepository extends ListCrudRepository<SchemaVersion, Long> {

  Optional<SchemaVersion> findFirstByNetworkIdOrderByNumberDesc(long networkId);

  Optional<SchemaVersion> findByNetworkIdAndNumber(long networkId, int number);

  Page<SchemaVersion> findByNetworkId(long networkId, Pageable pageable);
}
