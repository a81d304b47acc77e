package io.peersql.bootstrap.peers;

import io.peersql.bootstrap.networks.NetworkService;
import io.peersql.bootstrap.roles.PeerRoles;
import io.peersql.bootstrap.roles.RoleService;
import io.peersql.bootstrap.schema.GlobalSchema;
import io.peersql.bootstrap.security.AccountPrincipal;
import io.peersql.bootstrap.web.Versions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What a peer process calls with its own credentials. */
@RestController
@RequestMapping("/api/peer")
@Tag(name = "peer", description = "For peer processes, logged in with the credentials issued to them")
class PeerSelfController {

  private final PeerCheckIn checkIn;
  private final RoleService roles;
  private final NetworkService networks;

  PeerSelfController(PeerCheckIn checkIn, RoleService roles, NetworkService networks) {
    this.checkIn = checkIn;
    this.roles = roles;
    this.networks = networks;
  }

  @PostMapping("/registration")
  @Operation(summary = "Register the calling peer's addresses; it becomes ACTIVE")
  HeartbeatReply register(@Valid @RequestBody PeerRegistration registration,
      @AuthenticationPrincipal AccountPrincipal caller) {
    return checkIn.register(caller.actor(), registration);
  }

  @PutMapping("/heartbeat")
  @Operation(summary = "Report the calling peer alive; answers the current schema version")
  HeartbeatReply heartbeat(@AuthenticationPrincipal AccountPrincipal caller) {
    return checkIn.heartbeat(caller.actor());
  }

  @GetMapping
  PeerView self(@AuthenticationPrincipal AccountPrincipal caller) {
    return checkIn.self(caller.actor());
  }

  @GetMapping("/schema")
  @Operation(summary = "The current global schema of the peer's network")
  ResponseEntity<GlobalSchema> schema(@AuthenticationPrincipal AccountPrincipal caller) {
    var schema = checkIn.schema(caller.actor());
    return Versions.withEtag(schema, schema.version());
  }

  @GetMapping("/roles")
  @Operation(summary = "The network's roles and what the peer's company grants each of them")
  PeerRoles roles(@AuthenticationPrincipal AccountPrincipal caller) {
    var self = checkIn.self(caller.actor().peerId());
    return roles.forPeer(networks.byId(self.networkId()), self.companyId());
  }

  @GetMapping("/access-points")
  @Operation(summary = "Active peers of the network through which to join the BATON overlay")
  List<AccessPoint> accessPoints(@AuthenticationPrincipal AccountPrincipal caller) {
    return checkIn.accessPoints(caller.actor());
  }
}
