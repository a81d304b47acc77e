package io.peersql.bootstrap.security;

/** The sorts of accounts, each a Spring Security role of the same name. */
public enum AccountKind {
  /** The service provider, configured by properties, never stored. */
  PROVIDER,
  /** A company's administrator, created with the company. */
  COMPANY_ADMIN,
  /** A normal peer, whose credentials are issued when its company's admin creates it. */
  PEER
}
