package io.peersql.peer.query;

import io.peersql.peer.PeerProperties;
import io.peersql.query.peer.AccessPolicy;
import io.peersql.query.peer.PeerQueryService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers sub-queries from other peers (and from this peer's own engine) over its local store,
 * streaming rows back. The requester's identity and role travel with each sub-query and pass
 * the {@link AccessPolicy} hook; access rules are not enforced yet (allow all), and the endpoint
 * does not yet authenticate the calling peer.
 */
@RestController
class PeerQueryEndpoint {

  private final PeerQueryService service;
  private final LongAdder served = new LongAdder();

  PeerQueryEndpoint(PeerProperties peer, DataSource store) {
    this.service = new PeerQueryService(peer.name(), store::getConnection, AccessPolicy.ALLOW_ALL);
  }

  @PostMapping(PeerQueryService.PATH)
  void query(HttpServletRequest request, HttpServletResponse response) throws IOException {
    served.increment();
    response.setContentType("application/octet-stream");
    service.execute(request.getInputStream(), response.getOutputStream());
  }

  /** How many sub-queries this peer has answered since it started (for benchmarks and operators). */
  @GetMapping("/api/subqueries")
  Map<String, Long> served() {
    return Map.of("served", served.sum());
  }
}
