package io.peersql.bootstrap.companies;

import static java.util.Objects.requireNonNull;

import io.peersql.bootstrap.security.Accounts;
import io.peersql.bootstrap.security.CompanyNames;
import io.peersql.bootstrap.security.Actor;
import io.peersql.bootstrap.web.ApiProblem;
import io.peersql.bootstrap.web.Versions;
import java.time.Clock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Registers, approves, lists, updates and deactivates companies. */
@Service
public class CompanyService implements CompanyNames {

  private final CompanyRepository companies;
  private final Accounts accounts;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  /** Creates a CompanyService. */
  public CompanyService(CompanyRepository companies, Accounts accounts, ApplicationEventPublisher events,
      Clock clock) {
    this.companies = requireNonNull(companies, "companies is null");
    this.accounts = requireNonNull(accounts, "accounts is null");
    this.events = requireNonNull(events, "events is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Registers a company with its admin account. A self-registered company waits for the
   * provider's approval; one registered by the provider is approved at once.
   */
  @Transactional
  public Company register(CompanyRegistration registration, Actor caller) {
    if (companies.existsByName(registration.name())) {
      throw ApiProblem.conflict("name-taken", "A company named '" + registration.name() + "' is already registered");
    }
    var state = caller != null && caller.isProvider() ? CompanyState.APPROVED : CompanyState.PENDING;
    var company = companies.save(new Company(null, registration.name(), registration.displayName(),
        registration.contactEmail(), state, clock.instant(), null));
    accounts.createAdmin(registration.admin().username(), registration.admin().password(), company.id());
    return company;
  }

  /** The named company, if the caller may see it (the provider, or the company's own admin). */
  @Transactional(readOnly = true)
  public Company find(String name, Actor caller) {
    var company = require(name);
    caller.requireAdminOf(company.id(), name);
    return company;
  }

  /** Companies the caller may see: all for the provider (optionally in one state), its own for an admin. */
  @Transactional(readOnly = true)
  public Page<Company> list(Actor caller, CompanyState state, Pageable pageable) {
    if (!caller.isProvider()) {
      return companies.findPageById(caller.companyId(), pageable);
    }
    return state == null ? companies.findAll(pageable) : companies.findByState(state, pageable);
  }

  /** Changes a company's contact details, if {@code ifMatch} names its current version. */
  @Transactional
  public Company update(String name, CompanyUpdate update, String ifMatch, Actor caller) {
    var company = find(name, caller);
    var expected = Versions.requireMatch(ifMatch, company.version(), "company '" + name + "'");
    return companies.save(company.withContact(update.displayName(), update.contactEmail(), expected));
  }

  /** Approves a pending company (the provider only). Approving an approved company changes nothing. */
  @Transactional
  public Company approve(String name, Actor caller) {
    caller.requireProvider("approve companies");
    var company = require(name);
    return switch (company.state()) {
      case APPROVED -> company;
      case PENDING -> companies.save(company.inState(CompanyState.APPROVED));
      case DEACTIVATED -> throw ApiProblem.conflict("company-deactivated",
          "Company '" + name + "' was deactivated and cannot be approved again; register it anew");
    };
  }

  /**
   * Deactivates a company (the provider, or the company's own admin): its accounts are disabled,
   * its peers retired and it leaves every network, all in one transaction.
   */
  @Transactional
  public Company deactivate(String name, Actor caller) {
    var company = find(name, caller);
    if (company.state() == CompanyState.DEACTIVATED) {
      return company;
    }
    var deactivated = companies.save(company.inState(CompanyState.DEACTIVATED));
    accounts.disableCompany(company.id());
    events.publishEvent(new CompanyDeactivated(company.id(), company.name()));
    return deactivated;
  }

  /** The named company, or 404. */
  @Transactional(readOnly = true)
  public Company require(String name) {
    return companies.findByName(name)
        .orElseThrow(() -> ApiProblem.notFound("No company named '" + name + "' is registered"));
  }

  /** The company with this id; it must exist. */
  @Transactional(readOnly = true)
  public Company byId(long id) {
    return companies.findById(id).orElseThrow();
  }

  @Override
  @Transactional(readOnly = true)
  public String nameOf(long companyId) {
    return byId(companyId).name();
  }

  /** Refuses (409) unless the company is approved. */
  public static void requireApproved(Company company) {
    if (!company.isApproved()) {
      throw ApiProblem.conflict("company-not-approved", "Company '" + company.name() + "' is "
          + company.state().name().toLowerCase() + "; only approved companies may do this");
    }
  }
}
