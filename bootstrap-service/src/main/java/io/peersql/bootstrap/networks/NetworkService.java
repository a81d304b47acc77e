package io.peersql.bootstrap.networks;

import static java.util.Objects.requireNonNull;

import io.peersql.bootstrap.companies.Company;
import io.peersql.bootstrap.companies.CompanyDeactivated;
import io.peersql.bootstrap.companies.CompanyService;
import io.peersql.bootstrap.events.NetworkEventKind;
import io.peersql.bootstrap.events.NetworkEvents;
import io.peersql.bootstrap.security.Actor;
import io.peersql.bootstrap.web.ApiProblem;
import io.peersql.bootstrap.web.Versions;
import java.time.Clock;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates networks, and lets companies join and leave them. */
@Service
public class NetworkService {

  private final NetworkRepository networks;
  private final NetworkMemberRepository members;
  private final CompanyService companies;
  private final MemberPeers memberPeers;
  private final NetworkEvents events;
  private final Clock clock;

  /** Creates a NetworkService. */
  public NetworkService(NetworkRepository networks, NetworkMemberRepository members, CompanyService companies,
      MemberPeers memberPeers, NetworkEvents events, Clock clock) {
    this.networks = requireNonNull(networks, "networks is null");
    this.members = requireNonNull(members, "members is null");
    this.companies = requireNonNull(companies, "companies is null");
    this.memberPeers = requireNonNull(memberPeers, "memberPeers is null");
    this.events = requireNonNull(events, "events is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Creates a network. A company admin creates it for its own (approved) company, which owns it
   * and joins it at once; the provider may name an owner or none.
   */
  @Transactional
  public Network create(NetworkCreation creation, Actor caller) {
    Company owner = null;
    if (caller.isProvider()) {
      if (creation.owner() != null) {
        owner = companies.require(creation.owner());
      }
    } else {
      owner = companies.byId(caller.companyId());
      if (creation.owner() != null && !creation.owner().equals(owner.name())) {
        throw ApiProblem.forbidden("A company admin creates networks owned by its own company '" + owner.name()
            + "', not by '" + creation.owner() + "'");
      }
    }
    if (owner != null) {
      CompanyService.requireApproved(owner);
    }
    if (networks.existsByName(creation.name())) {
      throw ApiProblem.conflict("name-taken", "A network named '" + creation.name() + "' already exists");
    }
    var network = networks.save(new Network(null, creation.name(),
        creation.description() == null ? "" : creation.description(), owner == null ? null : owner.id(),
        clock.instant(), null));
    events.record(network.id(), NetworkEventKind.NETWORK_CREATED, owner == null ? null : owner.name(), null,
        "Network '" + network.name() + "' created by " + caller.username());
    if (owner != null) {
      addMember(network, owner);
    }
    return network;
  }

  /** Every network, by name: any admin may see which networks exist, to ask to join one. */
  @Transactional(readOnly = true)
  public Page<Network> list(Pageable pageable) {
    return networks.findAll(pageable);
  }

  /** The named network, or 404. */
  @Transactional(readOnly = true)
  public Network require(String name) {
    return networks.findByName(name)
        .orElseThrow(() -> ApiProblem.notFound("No network named '" + name + "' exists"));
  }

  /** The network with this id; it must exist. */
  @Transactional(readOnly = true)
  public Network byId(long id) {
    return networks.findById(id).orElseThrow();
  }

  /** A network as shown by the API, with its owner's and members' names. */
  @Transactional(readOnly = true)
  public NetworkView view(Network network) {
    var names = members.findByNetworkIdOrderByJoinedAt(network.id()).stream()
        .map(member -> companies.byId(member.companyId()).name())
        .toList();
    var owner = network.ownerCompanyId() == null ? null : companies.byId(network.ownerCompanyId()).name();
    return new NetworkView(network.name(), network.description(), owner, names, network.createdAt(),
        network.version());
  }

  /** Changes the description, if {@code ifMatch} names the current version; by its managers only. */
  @Transactional
  public Network update(String name, NetworkUpdate update, String ifMatch, Actor caller) {
    var network = require(name);
    requireManager(network, caller);
    var expected = Versions.requireMatch(ifMatch, network.version(), "network '" + name + "'");
    return networks.save(network.withDescription(update.description(), expected));
  }

  /** Adds an approved company to the network; joining twice changes nothing. */
  @Transactional
  public Network join(String networkName, String companyName, Actor caller) {
    var network = require(networkName);
    var company = companies.require(companyName);
    caller.requireAdminOf(company.id(), companyName);
    CompanyService.requireApproved(company);
    if (!members.existsByNetworkIdAndCompanyId(network.id(), company.id())) {
      addMember(network, company);
    }
    return network;
  }

  /** Removes a company from the network; refused while the company still runs peers in it. */
  @Transactional
  public Network leave(String networkName, String companyName, Actor caller) {
    var network = require(networkName);
    var company = companies.require(companyName);
    caller.requireAdminOf(company.id(), companyName);
    var member = members.findByNetworkIdAndCompanyId(network.id(), company.id())
        .orElseThrow(() -> ApiProblem.notFound("Company '" + companyName + "' is not a member of network '"
            + networkName + "'"));
    var peers = memberPeers.unretiredPeers(network.id(), company.id());
    if (!peers.isEmpty()) {
      throw ApiProblem.conflict("peers-running", "Company '" + companyName + "' still runs peers in network '"
          + networkName + "': " + String.join(", ", peers) + "; retire them first");
    }
    members.delete(member);
    events.record(network.id(), NetworkEventKind.COMPANY_LEFT, company.name(), null,
        "Company '" + company.name() + "' left the network");
    return network;
  }

  /** Whether the company is a member of the network. */
  @Transactional(readOnly = true)
  public boolean isMember(long networkId, long companyId) {
    return members.existsByNetworkIdAndCompanyId(networkId, companyId);
  }

  /** Refuses (403) unless the caller is the provider or an admin of a member company. */
  public void requireVisible(Network network, Actor caller) {
    if (!caller.isProvider() && !isMember(network.id(), caller.companyId())) {
      throw ApiProblem.forbidden("Only the provider and admins of member companies may see this of network '"
          + network.name() + "'");
    }
  }

  /** Refuses (403) unless the caller manages the network: the provider, or an admin of its owner. */
  public void requireManager(Network network, Actor caller) {
    if (caller.isProvider()) {
      return;
    }
    if (network.ownerCompanyId() == null || !network.ownerCompanyId().equals(caller.companyId())) {
      throw ApiProblem.forbidden("Only the provider or an admin of the network's owner may change network '"
          + network.name() + "'");
    }
  }

  /** A deactivated company leaves every network; its peers are retired by then (lower order). */
  @EventListener
  @Order(2)
  void companyDeactivated(CompanyDeactivated deactivated) {
    for (var member : members.findByCompanyId(deactivated.companyId())) {
      members.delete(member);
      events.record(member.networkId(), NetworkEventKind.COMPANY_LEFT, deactivated.name(), null,
          "Company '" + deactivated.name() + "' was deactivated and left the network");
    }
  }

  private void addMember(Network network, Company company) {
    members.save(new NetworkMember(null, network.id(), company.id(), clock.instant()));
    events.record(network.id(), NetworkEventKind.COMPANY_JOINED, company.name(), null,
        "Company '" + company.name() + "' joined the network");
  }
}
