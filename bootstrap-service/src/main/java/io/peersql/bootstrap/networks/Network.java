package io.peersql.bootstrap.networks;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A corporate network: companies sharing data under one global schema.
 *
 * @param id surrogate key
 * @param name unique short name, used in URLs
 * @param description what the network is for
 * @param ownerCompanyId the company that created it and manages its schema and roles; null when
 *     the provider created it without an owner
 * @param createdAt when it was created
 * @param version optimistic-concurrency version, the ETag
 */
@Table
public record Network(@Id Long id, String name, String description, Long ownerCompanyId, Instant createdAt,
    @Version Long version) {

  Network withDescription(String description, long expectedVersion) {
    return new Network(id, name, description, ownerCompanyId, createdAt, expectedVersion);
  }
}
