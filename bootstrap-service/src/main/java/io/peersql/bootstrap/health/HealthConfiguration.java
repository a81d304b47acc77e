package io.peersql.bootstrap.health;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

/** The default lifecycle hook and the monitor's schedule. */
@Configuration
class HealthConfiguration {

  @Bean
  @ConditionalOnMissingBean(PeerLifecycle.class)
  PeerLifecycle loggingPeerLifecycle() {
    return new LoggingPeerLifecycle();
  }

  /** Sweeps on a fixed delay while {@code peersql.bootstrap.health.enabled} is true. */
  @Configuration
  @ConditionalOnProperty(name = "peersql.bootstrap.health.enabled", matchIfMissing = true)
  static class Schedule {

    private final HealthMonitor monitor;

    Schedule(HealthMonitor monitor) {
      this.monitor = monitor;
    }

    @Scheduled(fixedDelayString = "${peersql.bootstrap.health.sweep-interval:5s}",
        initialDelayString = "${peersql.bootstrap.health.sweep-interval:5s}")
    void sweep() {
      monitor.sweep();
    }
  }
}
