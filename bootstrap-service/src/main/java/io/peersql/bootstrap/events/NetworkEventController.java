package io.peersql.bootstrap.events;

import io.peersql.bootstrap.networks.NetworkService;
import io.peersql.bootstrap.security.AccountPrincipal;
import io.peersql.bootstrap.web.PageRequestParams;
import io.peersql.bootstrap.web.PageView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.data.domain.Sort;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A network's events over REST, for the provider and member companies' admins. */
@RestController
@Tag(name = "events", description = "What happened in a network: joins, failures, recoveries, schema changes")
class NetworkEventController {

  private final NetworkService networks;
  private final NetworkEvents events;

  NetworkEventController(NetworkService networks, NetworkEvents events) {
    this.networks = networks;
    this.events = events;
  }

  @GetMapping("/api/networks/{name}/events")
  @Operation(summary = "A network's events, newest first")
  PageView<NetworkEvent> list(@PathVariable String name, @Valid PageRequestParams paging,
      @RequestParam(required = false) NetworkEventKind kind, @AuthenticationPrincipal AccountPrincipal caller) {
    var network = networks.require(name);
    networks.requireVisible(network, caller.actor());
    return PageView.of(events.list(network.id(), kind, paging.toPageable(Sort.by(Sort.Direction.DESC, "id"))),
        event -> event);
  }
}
