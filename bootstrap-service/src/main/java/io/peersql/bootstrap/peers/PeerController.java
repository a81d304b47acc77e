package io.peersql.bootstrap.peers;

import io.peersql.bootstrap.security.AccountPrincipal;
import io.peersql.bootstrap.web.PageRequestParams;
import io.peersql.bootstrap.web.PageView;
import io.peersql.bootstrap.web.Versions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The admin side of the peer registry over REST. */
@RestController
@Tag(name = "peers", description = "Peers of companies in networks, their state and credentials")
class PeerController {

  private final PeerRegistry registry;
  private final PeerViews views;

  PeerController(PeerRegistry registry, PeerViews views) {
    this.registry = registry;
    this.views = views;
  }

  @PostMapping("/api/networks/{network}/peers")
  @Operation(summary = "Create a peer and issue its credentials",
      description = "The secret is shown only in this response; pass it to the peer process.")
  ResponseEntity<PeerCredentials> create(@PathVariable String network, @Valid @RequestBody PeerCreation creation,
      @AuthenticationPrincipal AccountPrincipal caller) {
    var created = registry.create(network, creation, caller.actor());
    return ResponseEntity.status(HttpStatus.CREATED)
        .header(HttpHeaders.LOCATION, "/api/peers/" + created.peer().name())
        .body(created);
  }

  @GetMapping("/api/networks/{network}/peers")
  @Operation(summary = "The peers of a network with their state")
  PageView<PeerView> inNetwork(@PathVariable String network, @Valid PageRequestParams paging,
      @AuthenticationPrincipal AccountPrincipal caller) {
    return PageView.of(registry.inNetwork(network, caller.actor(), paging.toPageable(Sort.by("name"))),
        views::view);
  }

  @GetMapping("/api/peers")
  @Operation(summary = "Every peer (provider) or the caller's company's peers")
  PageView<PeerView> list(@Valid PageRequestParams paging, @AuthenticationPrincipal AccountPrincipal caller) {
    return PageView.of(registry.list(caller.actor(), paging.toPageable(Sort.by("name"))), views::view);
  }

  @GetMapping("/api/peers/{name}")
  ResponseEntity<PeerView> get(@PathVariable String name, @AuthenticationPrincipal AccountPrincipal caller) {
    var peer = registry.find(name, caller.actor());
    return Versions.withEtag(views.view(peer), peer.version());
  }

  @PostMapping("/api/peers/{name}/credentials")
  @Operation(summary = "Issue a new secret to a peer; the old one stops working")
  PeerCredentials rotate(@PathVariable String name, @AuthenticationPrincipal AccountPrincipal caller) {
    return registry.rotateSecret(name, caller.actor());
  }

  @DeleteMapping("/api/peers/{name}")
  @Operation(summary = "Retire a peer: it stays listed as RETIRED and its credentials stop working")
  PeerView retire(@PathVariable String name, @AuthenticationPrincipal AccountPrincipal caller) {
    return views.view(registry.retire(name, caller.actor()));
  }
}
