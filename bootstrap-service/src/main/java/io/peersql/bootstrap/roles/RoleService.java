package io.peersql.bootstrap.roles;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peersql.bootstrap.companies.CompanyService;
import io.peersql.bootstrap.events.NetworkEventKind;
import io.peersql.bootstrap.events.NetworkEvents;
import io.peersql.bootstrap.networks.Network;
import io.peersql.bootstrap.networks.NetworkService;
import io.peersql.bootstrap.schema.GlobalSchemaService;
import io.peersql.bootstrap.security.Actor;
import io.peersql.bootstrap.web.ApiProblem;
import io.peersql.bootstrap.web.Versions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Roles of a network (defined by its managers) and each company's grants to them (decided by
 * the company's admin): stored here, enforced by the peers.
 */
@Service
public class RoleService {

  private final NetworkRoleRepository roles;
  private final RoleGrantRepository grants;
  private final NetworkService networks;
  private final CompanyService companies;
  private final GlobalSchemaService schemas;
  private final NetworkEvents events;
  private final ObjectMapper json;
  private final Clock clock;

  /** Creates a RoleService. */
  public RoleService(NetworkRoleRepository roles, RoleGrantRepository grants, NetworkService networks,
      CompanyService companies, GlobalSchemaService schemas, NetworkEvents events, ObjectMapper json, Clock clock) {
    this.roles = requireNonNull(roles, "roles is null");
    this.grants = requireNonNull(grants, "grants is null");
    this.networks = requireNonNull(networks, "networks is null");
    this.companies = requireNonNull(companies, "companies is null");
    this.schemas = requireNonNull(schemas, "schemas is null");
    this.events = requireNonNull(events, "events is null");
    this.json = requireNonNull(json, "json is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** The outcome of a create-or-update: the resource and whether it is new. */
  public record Saved<T>(T value, boolean created) {
  }

  /** Defines a role, or changes its description (then If-Match must name its version). */
  @Transactional
  public Saved<RoleView> defineRole(String networkName, String roleName, RoleDefinition definition, String ifMatch,
      Actor caller) {
    var network = networks.require(networkName);
    networks.requireManager(network, caller);
    var existing = roles.findByNetworkIdAndName(network.id(), roleName);
    if (existing.isPresent()) {
      var role = existing.get();
      var expected = Versions.requireMatch(ifMatch, role.version(), "role '" + roleName + "'");
      var saved = roles.save(new NetworkRole(role.id(), role.networkId(), role.name(), definition.description(),
          expected));
      return new Saved<>(RoleView.of(saved), false);
    }
    var saved = roles.save(new NetworkRole(null, network.id(), roleName, definition.description(), null));
    events.record(network.id(), NetworkEventKind.ROLES_CHANGED, null, null, "Role '" + roleName + "' defined");
    return new Saved<>(RoleView.of(saved), true);
  }

  /** The network's roles, by name. */
  @Transactional(readOnly = true)
  public List<RoleView> roles(String networkName, Actor caller) {
    var network = networks.require(networkName);
    networks.requireVisible(network, caller);
    return roles.findByNetworkIdOrderByName(network.id()).stream().map(RoleView::of).toList();
  }

  /** One role, or 404. */
  @Transactional(readOnly = true)
  public RoleView role(String networkName, String roleName, Actor caller) {
    var network = networks.require(networkName);
    networks.requireVisible(network, caller);
    return RoleView.of(requireRole(network, roleName));
  }

  /** Removes a role; refused while any company grants it something. */
  @Transactional
  public void deleteRole(String networkName, String roleName, Actor caller) {
    var network = networks.require(networkName);
    networks.requireManager(network, caller);
    var role = requireRole(network, roleName);
    if (grants.existsByRoleId(role.id())) {
      throw ApiProblem.conflict("role-granted", "Role '" + roleName + "' is still granted by some companies;"
          + " they must revoke their grants first");
    }
    roles.delete(role);
    events.record(network.id(), NetworkEventKind.ROLES_CHANGED, null, null, "Role '" + roleName + "' removed");
  }

  /**
   * Sets what a company lets a role see of its data, checked against the current global schema.
   * Replacing an existing grant needs If-Match with its version.
   */
  @Transactional
  public Saved<GrantView> grant(String networkName, String companyName, String roleName, GrantDefinition definition,
      String ifMatch, Actor caller) {
    var network = networks.require(networkName);
    var company = companies.require(companyName);
    caller.requireAdminOf(company.id(), companyName);
    if (!networks.isMember(network.id(), company.id())) {
      throw ApiProblem.conflict("not-a-member", "Company '" + companyName + "' is not a member of network '"
          + networkName + "'");
    }
    var role = requireRole(network, roleName);
    var schema = schemas.current(network).orElseThrow(() -> ApiProblem.conflict("no-schema",
        "Network '" + networkName + "' has no global schema yet; grants refer to its tables"));
    var problems = new ArrayList<String>();
    var seen = new HashSet<String>();
    for (var rule : definition.tables()) {
      if (!seen.add(rule.table())) {
        problems.add("table " + rule.table() + " has two rules");
      }
      var table = schema.tables().stream().filter(t -> t.name().equals(rule.table())).findFirst();
      if (table.isEmpty()) {
        problems.add("table " + rule.table() + " is not in the global schema (version " + schema.version() + ")");
        continue;
      }
      for (var column : rule.columns()) {
        if (table.get().column(column) == null) {
          problems.add("column " + rule.table() + "." + column + " is not in the global schema");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw ApiProblem.unprocessable("invalid-grant", "The grant does not match the global schema", problems);
    }
    var existing = grants.findByCompanyIdAndRoleId(company.id(), role.id());
    var rules = write(definition.tables());
    RoleGrant saved;
    if (existing.isPresent()) {
      var expected = Versions.requireMatch(ifMatch, existing.get().version(),
          "the grant of company '" + companyName + "' to role '" + roleName + "'");
      saved = grants.save(new RoleGrant(existing.get().id(), network.id(), company.id(), role.id(), rules,
          clock.instant(), expected));
    } else {
      saved = grants.save(new RoleGrant(null, network.id(), company.id(), role.id(), rules, clock.instant(), null));
    }
    return new Saved<>(view(network, companyName, roleName, saved), existing.isEmpty());
  }

  /** One company's grant to one role, or 404. */
  @Transactional(readOnly = true)
  public GrantView grantOf(String networkName, String companyName, String roleName, Actor caller) {
    var network = networks.require(networkName);
    var company = companies.require(companyName);
    caller.requireAdminOf(company.id(), companyName);
    var role = requireRole(network, roleName);
    return grants.findByCompanyIdAndRoleId(company.id(), role.id())
        .map(grant -> view(network, companyName, roleName, grant))
        .orElseThrow(() -> ApiProblem.notFound("Company '" + companyName + "' grants nothing to role '" + roleName
            + "'"));
  }

  /** The grants the caller may see in a network: all for the provider, its company's for an admin. */
  @Transactional(readOnly = true)
  public List<GrantView> grants(String networkName, Actor caller) {
    var network = networks.require(networkName);
    networks.requireVisible(network, caller);
    var found = caller.isProvider() ? grants.findByNetworkId(network.id())
        : grants.findByNetworkIdAndCompanyId(network.id(), caller.companyId());
    return found.stream().map(grant -> view(network, companies.byId(grant.companyId()).name(),
        roles.findById(grant.roleId()).orElseThrow().name(), grant)).toList();
  }

  /** Withdraws a company's grant to a role. */
  @Transactional
  public void revoke(String networkName, String companyName, String roleName, Actor caller) {
    var network = networks.require(networkName);
    var company = companies.require(companyName);
    caller.requireAdminOf(company.id(), companyName);
    var role = requireRole(network, roleName);
    var grant = grants.findByCompanyIdAndRoleId(company.id(), role.id())
        .orElseThrow(() -> ApiProblem.notFound("Company '" + companyName + "' grants nothing to role '" + roleName
            + "'"));
    grants.delete(grant);
  }

  /** What a peer of {@code companyId} fetches: the roles and its own company's grants. */
  @Transactional(readOnly = true)
  public PeerRoles forPeer(Network network, long companyId) {
    var company = companies.byId(companyId).name();
    var defined = roles.findByNetworkIdOrderByName(network.id());
    var own = grants.findByNetworkIdAndCompanyId(network.id(), companyId).stream()
        .map(grant -> view(network, company, roles.findById(grant.roleId()).orElseThrow().name(), grant))
        .toList();
    return new PeerRoles(defined.stream().map(RoleView::of).toList(), own);
  }

  private NetworkRole requireRole(Network network, String roleName) {
    return roles.findByNetworkIdAndName(network.id(), roleName)
        .orElseThrow(() -> ApiProblem.notFound("Network '" + network.name() + "' has no role '" + roleName + "'"));
  }

  private GrantView view(Network network, String company, String role, RoleGrant grant) {
    try {
      List<GrantDefinition.TableRule> rules = json.readValue(grant.rules(), new TypeReference<>() { });
      return new GrantView(network.name(), company, role, rules, grant.updatedAt(), grant.version());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored grant " + grant.id() + " is not readable", e);
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
