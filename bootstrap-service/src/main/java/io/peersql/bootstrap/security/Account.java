package io.peersql.bootstrap.security;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A stored login: a company admin or a peer. Passwords are stored only as hashes.
 *
 * @param id surrogate key
 * @param username unique login name (a peer logs in under its peer name)
 * @param passwordHash the password's hash, with its encoder prefix
 * @param kind admin or peer
 * @param companyId the company the account belongs to
 * @param peerId the peer of a peer account
 * @param enabled false once the company is deactivated or the peer retired
 */
@Table
public record Account(@Id Long id, String username, String passwordHash, AccountKind kind, Long companyId,
    Long peerId, boolean enabled) {

  Account withPasswordHash(String hash) {
    return new Account(id, username, hash, kind, companyId, peerId, enabled);
  }

  Account disabled() {
    return new Account(id, username, passwordHash, kind, companyId, peerId, false);
  }
}
