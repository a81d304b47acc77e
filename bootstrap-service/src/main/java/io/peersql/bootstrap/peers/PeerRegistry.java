package io.peersql.bootstrap.peers;

import static java.util.Objects.requireNonNull;

import io.peersql.bootstrap.companies.Company;
import io.peersql.bootstrap.companies.CompanyDeactivated;
import io.peersql.bootstrap.companies.CompanyService;
import io.peersql.bootstrap.events.NetworkEventKind;
import io.peersql.bootstrap.events.NetworkEvents;
import io.peersql.bootstrap.networks.NetworkService;
import io.peersql.bootstrap.security.Accounts;
import io.peersql.bootstrap.security.Actor;
import io.peersql.bootstrap.web.ApiProblem;
import java.time.Clock;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The admin side of the peer registry: companies create peers (receiving each peer's
 * credentials), rotate their secrets, retire them, and list them.
 */
@Service
public class PeerRegistry {

  private final PeerRepository peers;
  private final CompanyService companies;
  private final NetworkService networks;
  private final Accounts accounts;
  private final NetworkEvents events;
  private final PeerViews views;
  private final Clock clock;

  /** Creates a PeerRegistry. */
  public PeerRegistry(PeerRepository peers, CompanyService companies, NetworkService networks, Accounts accounts,
      NetworkEvents events, PeerViews views, Clock clock) {
    this.peers = requireNonNull(peers, "peers is null");
    this.companies = requireNonNull(companies, "companies is null");
    this.networks = requireNonNull(networks, "networks is null");
    this.accounts = requireNonNull(accounts, "accounts is null");
    this.events = requireNonNull(events, "events is null");
    this.views = requireNonNull(views, "views is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Creates a peer of an approved member company in a network and issues its credentials. A
   * company admin creates peers of its own company; the provider names the company.
   */
  @Transactional
  public PeerCredentials create(String networkName, PeerCreation creation, Actor caller) {
    var network = networks.require(networkName);
    Company company;
    if (caller.isProvider()) {
      if (creation.company() == null) {
        throw ApiProblem.badRequest("invalid-input", "The request has invalid values",
            List.of("company: the provider must name the company that owns the peer"));
      }
      company = companies.require(creation.company());
    } else {
      company = companies.byId(caller.companyId());
      if (creation.company() != null && !creation.company().equals(company.name())) {
        throw ApiProblem.forbidden("A company admin creates peers of its own company '" + company.name() + "'");
      }
    }
    CompanyService.requireApproved(company);
    if (!networks.isMember(network.id(), company.id())) {
      throw ApiProblem.conflict("not-a-member", "Company '" + company.name() + "' is not a member of network '"
          + networkName + "'; join it first");
    }
    if (peers.existsByName(creation.name())) {
      throw ApiProblem.conflict("name-taken", "A peer named '" + creation.name() + "' already exists");
    }
    var peer = peers.save(new Peer(null, creation.name(), company.id(), network.id(), null, null,
        PeerState.STARTING, clock.instant(), null, null, null));
    var secret = accounts.createPeer(peer.name(), company.id(), peer.id());
    events.record(network.id(), NetworkEventKind.PEER_CREATED, company.name(), peer.name(),
        "Peer '" + peer.name() + "' of company '" + company.name() + "' created");
    return new PeerCredentials(views.view(peer), peer.name(), secret);
  }

  /** The named peer, if the caller may see it: the provider, or an admin of a member company. */
  @Transactional(readOnly = true)
  public Peer find(String name, Actor caller) {
    var peer = require(name);
    networks.requireVisible(networks.byId(peer.networkId()), caller);
    return peer;
  }

  /** Every peer for the provider; an admin's own company's peers otherwise. */
  @Transactional(readOnly = true)
  public Page<Peer> list(Actor caller, Pageable pageable) {
    return caller.isProvider() ? peers.findAll(pageable) : peers.findByCompanyId(caller.companyId(), pageable);
  }

  /** The peers of a network, for the provider and admins of member companies. */
  @Transactional(readOnly = true)
  public Page<Peer> inNetwork(String networkName, Actor caller, Pageable pageable) {
    var network = networks.require(networkName);
    networks.requireVisible(network, caller);
    return peers.findByNetworkId(network.id(), pageable);
  }

  /** Issues a new secret to a peer (its owner's admin or the provider); the old one stops working. */
  @Transactional
  public PeerCredentials rotateSecret(String name, Actor caller) {
    var peer = require(name);
    caller.requireAdminOf(peer.companyId(), views.companyName(peer));
    if (peer.state() == PeerState.RETIRED) {
      throw ApiProblem.conflict("peer-retired", "Peer '" + name + "' is retired; create a new peer instead");
    }
    return new PeerCredentials(views.view(peer), peer.name(), accounts.rotatePeerSecret(peer.id()));
  }

  /** Retires a peer for good: its credentials stop working. Retiring twice changes nothing. */
  @Transactional
  public Peer retire(String name, Actor caller) {
    var peer = require(name);
    caller.requireAdminOf(peer.companyId(), views.companyName(peer));
    return retire(peer, "retired by " + caller.username());
  }

  /** A deactivated company's peers are retired before it leaves its networks. */
  @EventListener
  @Order(1)
  void companyDeactivated(CompanyDeactivated deactivated) {
    peers.findByCompanyIdAndStateNot(deactivated.companyId(), PeerState.RETIRED)
        .forEach(peer -> retire(peer, "retired with its company"));
  }

  private Peer retire(Peer peer, String why) {
    if (peer.state() == PeerState.RETIRED) {
      return peer;
    }
    var retired = peers.save(peer.inState(PeerState.RETIRED));
    accounts.disablePeer(peer.id());
    events.record(peer.networkId(), NetworkEventKind.PEER_RETIRED, views.companyName(peer), peer.name(),
        "Peer '" + peer.name() + "' " + why);
    return retired;
  }

  private Peer require(String name) {
    return peers.findByName(name).orElseThrow(() -> ApiProblem.notFound("No peer named '" + name + "' exists"));
  }
}
