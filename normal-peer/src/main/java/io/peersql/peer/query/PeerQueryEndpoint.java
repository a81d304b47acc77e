package io.peersql.peer.query;

import io.peersql.peer.PeerProperties;
import io.peersql.query.peer.AccessPolicy;
import io.peersql.query.peer.PeerQueryService;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers sub-queries from other peers (and from this peer's own engine) over its local store,
 * streaming rows back. The requester's identity and role travel with each sub-query and pass
 * the {@link AccessPolicy} hook; access rules are not enforced yet (allow all), and the endpoint
 * does not yet authenticate the calling peer.
 *
 * <p>Sub-queries are served by a plain servlet (no Spring MVC dispatch per sub-query); the count
 * of sub-queries served is an ordinary admin API resource.
 */
final class PeerQueryEndpoint extends HttpServlet {

  private final transient PeerQueryService service;
  private final transient Served served;

  private PeerQueryEndpoint(PeerQueryService service, Served served) {
    this.service = service;
    this.served = served;
  }

  /** The count of sub-queries answered. */
  static final class Served {
    private final LongAdder count = new LongAdder();
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    served.count.increment();
    response.setContentType("application/octet-stream");
    service.execute(request.getInputStream(), response.getOutputStream());
  }

  /** How many sub-queries this peer has answered since it started (for benchmarks and operators). */
  @RestController
  static class ServedCount {
    private final Served served;

    ServedCount(Served served) {
      this.served = served;
    }

    @GetMapping("/api/subqueries")
    Map<String, Long> served() {
      return Map.of("served", served.count.sum());
    }
  }

  @Configuration
  static class Registration {
    @Bean
    Served subQueriesServed() {
      return new Served();
    }

    @Bean
    ServletRegistrationBean<PeerQueryEndpoint> peerQueryEndpoint(PeerProperties peer, DataSource store,
        Served served) {
      var service = new PeerQueryService(peer.name(), store::getConnection, AccessPolicy.ALLOW_ALL);
      var registration = new ServletRegistrationBean<>(new PeerQueryEndpoint(service, served),
          PeerQueryService.PATH);
      registration.setName("peer-query");
      registration.setLoadOnStartup(1);
      return registration;
    }
  }
}
