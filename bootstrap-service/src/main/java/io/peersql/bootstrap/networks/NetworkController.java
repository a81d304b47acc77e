package io.peersql.bootstrap.networks;

import io.peersql.bootstrap.security.AccountPrincipal;
import io.peersql.bootstrap.web.PageRequestParams;
import io.peersql.bootstrap.web.PageView;
import io.peersql.bootstrap.web.Versions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.ArrayList;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Corporate networks and their members over REST. */
@RestController
@RequestMapping("/api/networks")
@Tag(name = "networks", description = "Corporate networks; companies join and leave them")
class NetworkController {

  private final NetworkService networks;

  NetworkController(NetworkService networks) {
    this.networks = networks;
  }

  @PostMapping
  @Operation(summary = "Create a network", description = "A company admin's company owns the network and joins it.")
  ResponseEntity<NetworkView> create(@Valid @RequestBody NetworkCreation creation,
      @AuthenticationPrincipal AccountPrincipal caller) {
    var network = networks.create(creation, caller.actor());
    return ResponseEntity.status(HttpStatus.CREATED)
        .header(HttpHeaders.LOCATION, "/api/networks/" + network.name())
        .eTag(Versions.etag(network.version()))
        .body(networks.view(network));
  }

  @GetMapping
  @Operation(summary = "List every network")
  PageView<NetworkView> list(@Valid PageRequestParams paging) {
    var page = networks.list(paging.toPageable(Sort.by("name")));
    var views = new ArrayList<NetworkView>();
    page.forEach(network -> views.add(networks.view(network)));
    return new PageView<>(views, page.getNumber(), page.getSize(), page.getTotalElements());
  }

  @GetMapping("/{name}")
  ResponseEntity<NetworkView> get(@PathVariable String name) {
    var network = networks.require(name);
    return Versions.withEtag(networks.view(network), network.version());
  }

  @PutMapping("/{name}")
  @Operation(summary = "Change a network's description", description = "Needs If-Match with the ETag of a GET.")
  ResponseEntity<NetworkView> update(@PathVariable String name, @Valid @RequestBody NetworkUpdate update,
      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
      @AuthenticationPrincipal AccountPrincipal caller) {
    var network = networks.update(name, update, ifMatch, caller.actor());
    return Versions.withEtag(networks.view(network), network.version());
  }

  @PutMapping("/{name}/members/{company}")
  @Operation(summary = "Join a network (an approved company; idempotent)")
  NetworkView join(@PathVariable String name, @PathVariable String company,
      @AuthenticationPrincipal AccountPrincipal caller) {
    return networks.view(networks.join(name, company, caller.actor()));
  }

  @DeleteMapping("/{name}/members/{company}")
  @Operation(summary = "Leave a network (refused while the company runs unretired peers in it)")
  NetworkView leave(@PathVariable String name, @PathVariable String company,
      @AuthenticationPrincipal AccountPrincipal caller) {
    return networks.view(networks.leave(name, company, caller.actor()));
  }
}
