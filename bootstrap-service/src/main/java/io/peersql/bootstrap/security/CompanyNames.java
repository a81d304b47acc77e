package io.peersql.bootstrap.security;

/** Looks up a company's name by id, for {@link WhoAmIController} (implemented by the companies feature). */
public interface CompanyNames {

  String nameOf(long companyId);
}
