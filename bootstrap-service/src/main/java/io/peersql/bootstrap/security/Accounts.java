package io.peersql.bootstrap.security;

import static java.util.Objects.requireNonNull;

import io.peersql.bootstrap.web.ApiProblem;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates and disables the stored accounts of company admins and peers, and issues peers'
 * secrets. Called inside the transactions of the features that own those accounts.
 */
@Service
public class Accounts {

  private final AccountRepository accounts;
  private final PasswordEncoder encoder;
  private final BootstrapSecurityProperties properties;
  private final SecureRandom random = new SecureRandom();

  /** Creates Accounts over the stored accounts. */
  public Accounts(AccountRepository accounts, PasswordEncoder encoder, BootstrapSecurityProperties properties) {
    this.accounts = requireNonNull(accounts, "accounts is null");
    this.encoder = requireNonNull(encoder, "encoder is null");
    this.properties = requireNonNull(properties, "properties is null");
  }

  /** Refuses (409) a username that an account or the provider already holds. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void requireFree(String username) {
    if (username.equals(properties.provider().username()) || accounts.existsByUsername(username)) {
      throw ApiProblem.conflict("username-taken", "The username '" + username + "' is already taken");
    }
  }

  /** Creates the admin account of a company. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void createAdmin(String username, String password, long companyId) {
    requireFree(username);
    accounts.save(new Account(null, username, encoder.encode(password), AccountKind.COMPANY_ADMIN, companyId,
        null, true));
  }

  /** Creates the account of a new peer and returns its secret, which is stored only hashed. */
  @Transactional(propagation = Propagation.MANDATORY)
  public String createPeer(String peerName, long companyId, long peerId) {
    requireFree(peerName);
    var secret = newSecret();
    accounts.save(new Account(null, peerName, encoder.encode(secret), AccountKind.PEER, companyId, peerId, true));
    return secret;
  }

  /** Replaces a peer's secret and returns the new one; the old one stops working. */
  @Transactional(propagation = Propagation.MANDATORY)
  public String rotatePeerSecret(long peerId) {
    var account = accounts.findByPeerId(peerId).orElseThrow();
    var secret = newSecret();
    accounts.save(account.withPasswordHash(encoder.encode(secret)));
    return secret;
  }

  /** Disables the account of a retired peer. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void disablePeer(long peerId) {
    accounts.findByPeerId(peerId).ifPresent(account -> accounts.save(account.disabled()));
  }

  /** Disables every account of a deactivated company, its admins' and its peers'. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void disableCompany(long companyId) {
    accounts.findByCompanyId(companyId).forEach(account -> accounts.save(account.disabled()));
  }

  private String newSecret() {
    var bytes = new byte[24];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
