package io.peersql.bootstrap.security;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * A slow password hash (BCrypt) that is paid once per password, not once per request.
 *
 * <p>Every peer sends its heartbeat with HTTP Basic credentials, and a BCrypt check at the
 * default cost takes tens of milliseconds of CPU: at one heartbeat per peer every 5 s, a
 * thousand peers would keep more than ten cores busy hashing. After a password has matched a
 * stored hash once, this encoder remembers an HMAC of it (under a key drawn at start, never
 * stored) next to that hash, and later checks of the same password against the same hash
 * compare HMACs. The account is still read from the store on every request, so a changed
 * password (a new hash) or a disabled account takes effect at once; a remembered match expires
 * after {@link #LIFETIME_NANOS}, and at most {@link #CAPACITY} hashes are remembered (least
 * recently used go first). Wrong passwords are never remembered: each one costs a full BCrypt
 * check, which keeps guessing as slow as before.
 */
final class RememberingPasswordEncoder implements PasswordEncoder {

  /** How long a verified password is trusted without a new BCrypt check. */
  static final long LIFETIME_NANOS = 15L * 60 * 1_000_000_000;

  /** Most stored hashes with a remembered password. */
  static final int CAPACITY = 10_000;

  private record Verified(byte[] mac, long at) {
  }

  private final PasswordEncoder slow;
  private final LongSupplier clock;
  private final SecretKeySpec key;
  private final Map<String, Verified> verified = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Verified> eldest) {
      return size() > CAPACITY;
    }
  };

  RememberingPasswordEncoder(PasswordEncoder slow) {
    this(slow, System::nanoTime);
  }

  RememberingPasswordEncoder(PasswordEncoder slow, LongSupplier clock) {
    this.slow = requireNonNull(slow, "slow is null");
    this.clock = requireNonNull(clock, "clock is null");
    var bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    this.key = new SecretKeySpec(bytes, "HmacSHA256");
  }

  @Override
  public String encode(CharSequence rawPassword) {
    return slow.encode(rawPassword);
  }

  @Override
  public boolean matches(CharSequence rawPassword, String encodedPassword) {
    if (rawPassword == null || encodedPassword == null) {
      return slow.matches(rawPassword, encodedPassword);
    }
    byte[] mac = mac(rawPassword);
    long now = clock.getAsLong();
    Verified known;
    synchronized (verified) {
      known = verified.get(encodedPassword);
    }
    if (known != null && now - known.at() < LIFETIME_NANOS && MessageDigest.isEqual(known.mac(), mac)) {
      return true;
    }
    if (!slow.matches(rawPassword, encodedPassword)) {
      return false;
    }
    synchronized (verified) {
      verified.put(encodedPassword, new Verified(mac, now));
    }
    return true;
  }

  @Override
  public boolean upgradeEncoding(String encodedPassword) {
    return slow.upgradeEncoding(encodedPassword);
  }

  private byte[] mac(CharSequence rawPassword) {
    try {
      var hmac = Mac.getInstance("HmacSHA256");
      hmac.init(key);
      return hmac.doFinal(rawPassword.toString().getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
