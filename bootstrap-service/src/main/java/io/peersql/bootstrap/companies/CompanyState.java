package io.peersql.bootstrap.companies;

/** Where a company stands with the provider. */
public enum CompanyState {
  /** Registered, waiting for the provider's approval: may log in, may not join networks. */
  PENDING,
  /** Approved: may create and join networks and run peers. */
  APPROVED,
  /** Deactivated by the provider or itself: its accounts are disabled and its peers retired. */
  DEACTIVATED
}
