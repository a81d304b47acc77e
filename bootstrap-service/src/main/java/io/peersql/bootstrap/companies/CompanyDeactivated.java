package io.peersql.bootstrap.companies;

/**
 * Published inside the transaction that deactivates a company, so that the features holding
 * its memberships and peers release them in the same transaction.
 */
public record CompanyDeactivated(long companyId, String name) {
}
