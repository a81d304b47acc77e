package io.peersql.peer.overlay;

import io.peersql.baton.BatonNode;
import io.peersql.baton.core.Link;
import io.peersql.baton.core.NodeInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * This peer's place in the overlay as its node sees it now: status, tree position, key range,
 * tree and adjacent links, routing tables (with the ranges last heard), how many index entries it
 * holds, and messages sent and forwarded by type. For operators tracing a lookup that fails.
 */
@RestController
class OverlayController {

  private final OverlayMembership membership;

  OverlayController(OverlayMembership membership) {
    this.membership = membership;
  }

  @GetMapping("/api/overlay")
  Map<String, Object> overlay() throws Exception {
    BatonNode node = membership.node().orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
        "This peer runs no overlay node"));
    BatonNode.Links links = node.links().get(5, TimeUnit.SECONDS);
    var out = new LinkedHashMap<String, Object>();
    out.put("node", node.id().toString());
    out.put("status", links.status());
    out.put("position", links.position());
    out.put("range", links.range());
    out.put("parent", text(links.parent()));
    out.put("leftChild", text(links.leftChild()));
    out.put("rightChild", text(links.rightChild()));
    out.put("leftAdjacent", text(links.leftAdjacent()));
    out.put("rightAdjacent", text(links.rightAdjacent()));
    out.put("routing", links.routing().stream().map(OverlayController::text).toList());
    out.put("entries", links.entries());
    out.put("sent", node.stats().sent());
    out.put("forwarded", node.stats().forwarded());
    return out;
  }

  private static String text(Link link) {
    return link == null ? null : link.node() + " at " + link.position();
  }

  private static String text(NodeInfo info) {
    return info.node() + " at " + info.position() + " owns " + info.range()
        + (info.departing() ? " (departing)" : "");
  }
}
