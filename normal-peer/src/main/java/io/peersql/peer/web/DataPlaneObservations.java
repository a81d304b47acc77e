package io.peersql.peer.web;

import io.micrometer.observation.ObservationPredicate;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Leaves the data plane out of the HTTP request metrics: every JDBC call of a business user
 * ({@code /avatica}) and every sub-query between peers ({@code /peer/query}) is one request, and
 * timing each one through Micrometer's observation cost as much as answering a point query. The
 * admin API, health and the bootstrap-facing endpoints keep their metrics.
 */
@Configuration
class DataPlaneObservations {

  static final Set<String> DATA_PLANE = Set.of("/avatica", "/peer/query");

  @Bean
  ObservationPredicate noDataPlaneRequestMetrics() {
    return (name, context) -> !(context instanceof ServerRequestObservationContext request
        && DATA_PLANE.contains(request.getCarrier().getRequestURI()));
  }
}
