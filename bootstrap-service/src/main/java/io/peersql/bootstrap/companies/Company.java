package io.peersql.bootstrap.companies;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A company registered with the provider.
 *
 * @param id surrogate key
 * @param name unique short name, used in URLs
 * @param displayName the company's full name
 * @param contactEmail whom the provider writes to
 * @param state pending until the provider approves; deactivated for good
 * @param registeredAt when it registered
 * @param version optimistic-concurrency version, the ETag
 */
@Table
public record Company(@Id Long id, String name, String displayName, String contactEmail, CompanyState state,
    Instant registeredAt, @Version Long version) {

  Company withContact(String displayName, String contactEmail, long expectedVersion) {
    return new Company(id, name, displayName, contactEmail, state, registeredAt, expectedVersion);
  }

  Company inState(CompanyState state) {
    return new Company(id, name, displayName, contactEmail, state, registeredAt, version);
  }

  public boolean isApproved() {
    return state == CompanyState.APPROVED;
  }
}
