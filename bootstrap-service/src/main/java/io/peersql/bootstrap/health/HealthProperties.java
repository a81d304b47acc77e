package io.peersql.bootstrap.health;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the health monitor judges peers ({@code peersql.bootstrap.health.*}).
 *
 * @param enabled whether the monitor sweeps on a schedule (tests sweep by hand)
 * @param sweepInterval how often it looks at every peer
 * @param suspectAfter silence after which an active peer becomes suspect
 * @param failAfter silence after which a peer is failed
 */
@ConfigurationProperties("peersql.bootstrap.health")
public record HealthProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("5s") Duration sweepInterval,
    @DefaultValue("15s") Duration suspectAfter,
    @DefaultValue("45s") Duration failAfter) {

  /** Creates the properties, refusing thresholds in the wrong order. */
  public HealthProperties {
    if (suspectAfter.isNegative() || suspectAfter.isZero() || failAfter.compareTo(suspectAfter) <= 0) {
      throw new IllegalArgumentException("peersql.bootstrap.health needs 0 < suspect-after < fail-after, got "
          + suspectAfter + " and " + failAfter);
    }
  }
}
