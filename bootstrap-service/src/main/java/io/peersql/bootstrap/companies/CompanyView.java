package io.peersql.bootstrap.companies;

import java.time.Instant;

/** A company as the API shows it. */
public record CompanyView(String name, String displayName, String contactEmail, CompanyState state,
    Instant registeredAt, long version) {

  static CompanyView of(Company company) {
    return new CompanyView(company.name(), company.displayName(), company.contactEmail(), company.state(),
        company.registeredAt(), company.version());
  }
}
