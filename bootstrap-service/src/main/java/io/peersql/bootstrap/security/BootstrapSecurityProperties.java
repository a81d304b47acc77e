package io.peersql.bootstrap.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who the provider is and how passwords are hashed; overridable by environment variables such
 * as {@code PEERSQL_BOOTSTRAP_SECURITY_PROVIDER_PASSWORD}.
 *
 * @param provider the provider's account
 * @param bcryptStrength the BCrypt cost of stored password hashes (4 to 31)
 */
@ConfigurationProperties("peersql.bootstrap.security")
public record BootstrapSecurityProperties(@DefaultValue Provider provider, @DefaultValue("10") int bcryptStrength) {

  /** Creates the properties, refusing a BCrypt cost the encoder does not accept. */
  public BootstrapSecurityProperties {
    if (bcryptStrength < 4 || bcryptStrength > 31) {
      throw new IllegalArgumentException("peersql.bootstrap.security.bcrypt-strength must be in 4..31, got "
          + bcryptStrength);
    }
  }

  /**
   * The provider's login.
   *
   * @param username the provider's username
   * @param password the provider's password; when unset, a random one is generated at start and
   *     logged once
   */
  public record Provider(@DefaultValue("provider") String username, String password) {
  }
}
