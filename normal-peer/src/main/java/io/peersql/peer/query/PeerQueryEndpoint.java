package io.peersql.peer.query;

import io.peersql.peer.PeerProperties;
import io.peersql.query.peer.AccessPolicy;
import io.peersql.query.peer.PeerQueryService;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers sub-queries from other peers over this peer's local store, streaming rows back (its own
 * engine reaches the store in-process, {@link PeerQueryService#open}). The requester's identity and role travel with each sub-query and pass
 * the {@link AccessPolicy} hook; access rules are not enforced yet (allow all), and the endpoint
 * does not yet authenticate the calling peer.
 *
 * <p>Sub-queries are served by a plain servlet (no Spring MVC dispatch per sub-query); the count
 * of sub-queries served is an ordinary admin API resource.
 */
final class PeerQueryEndpoint extends HttpServlet {

  private final transient PeerQueryService service;

  private PeerQueryEndpoint(PeerQueryService service) {
    this.service = service;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setContentType("application/octet-stream");
    service.execute(request.getInputStream(), response.getOutputStream());
  }

  /**
   * How many sub-queries this peer has answered since it started, for other peers over HTTP and
   * for its own engine in-process (for benchmarks and operators).
   */
  @RestController
  static class ServedCount {
    private final PeerQueryService service;

    ServedCount(PeerQueryService service) {
      this.service = service;
    }

    @GetMapping("/api/subqueries")
    Map<String, Long> served() {
      return Map.of("served", service.served());
    }
  }

  @Configuration
  static class Registration {
    /** This peer's store as the owning side of sub-queries: for other peers and for its own engine. */
    @Bean
    PeerQueryService peerQueryService(PeerProperties peer, DataSource store) {
      return new PeerQueryService(peer.name(), store::getConnection, AccessPolicy.ALLOW_ALL);
    }

    @Bean
    ServletRegistrationBean<PeerQueryEndpoint> peerQueryEndpoint(PeerQueryService service) {
      var registration = new ServletRegistrationBean<>(new PeerQueryEndpoint(service), PeerQueryService.PATH);
      registration.setName("peer-query");
      registration.setLoadOnStartup(1);
      return registration;
    }
  }
}
