package io.peersql.bootstrap.security;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Looks up who logs in: the provider from configuration, everyone else from the stored
 * accounts. A disabled account (deactivated company, retired peer) cannot log in.
 */
@Service
class AccountDetailsService implements UserDetailsService {

  private static final Logger log = LoggerFactory.getLogger(AccountDetailsService.class);

  private final AccountRepository accounts;
  private final String providerUsername;
  private final String providerHash;

  AccountDetailsService(AccountRepository accounts, PasswordEncoder encoder, BootstrapSecurityProperties properties) {
    this.accounts = requireNonNull(accounts, "accounts is null");
    this.providerUsername = properties.provider().username();
    var password = properties.provider().password();
    if (password == null || password.isBlank()) {
      var bytes = new byte[12];
      new SecureRandom().nextBytes(bytes);
      password = HexFormat.of().formatHex(bytes);
      log.warn("No provider password configured (peersql.bootstrap.security.provider.password); generated one"
          + " for this run. Provider login: {} / {}", providerUsername, password);
    }
    this.providerHash = encoder.encode(password);
  }

  @Override
  public UserDetails loadUserByUsername(String username) {
    if (providerUsername.equals(username)) {
      return new AccountPrincipal(Actor.provider(username), providerHash, true);
    }
    var account = accounts.findByUsername(username)
        .orElseThrow(() -> new UsernameNotFoundException("No account " + username));
    var actor = new Actor(account.username(), account.kind(), account.companyId(), account.peerId());
    return new AccountPrincipal(actor, account.passwordHash(), account.enabled());
  }
}
