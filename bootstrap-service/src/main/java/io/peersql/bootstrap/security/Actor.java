package io.peersql.bootstrap.security;

import static java.util.Objects.requireNonNull;

import io.peersql.bootstrap.web.ApiProblem;

/**
 * Who is calling: the provider, a company's admin, or a peer, as authenticated by HTTP Basic.
 *
 * @param username the account's name
 * @param kind what sort of account it is
 * @param companyId the company of an admin or peer; null for the provider
 * @param peerId the peer of a peer account; null otherwise
 */
public record Actor(String username, AccountKind kind, Long companyId, Long peerId) {

  /** Creates an Actor. */
  public Actor {
    requireNonNull(username, "username is null");
    requireNonNull(kind, "kind is null");
  }

  /** The provider, who may administer everything. */
  public static Actor provider(String username) {
    return new Actor(username, AccountKind.PROVIDER, null, null);
  }

  public boolean isProvider() {
    return kind == AccountKind.PROVIDER;
  }

  /** Whether this actor administers the company {@code companyId}: the provider, or that company's admin. */
  public boolean administers(long companyId) {
    return isProvider() || (kind == AccountKind.COMPANY_ADMIN && this.companyId == companyId);
  }

  /** Refuses (403) unless this actor {@link #administers} the company. */
  public void requireAdminOf(long companyId, String companyName) {
    if (!administers(companyId)) {
      throw ApiProblem.forbidden("Only the provider or an admin of company '" + companyName + "' may do this");
    }
  }

  /** Refuses (403) unless this actor is the provider. */
  public void requireProvider(String what) {
    if (!isProvider()) {
      throw ApiProblem.forbidden("Only the provider may " + what);
    }
  }
}
