package io.peersql.bootstrap.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

class RememberingPasswordEncoderTest {

  /** A real BCrypt encoder (the lowest cost, for speed) that counts its checks. */
  private static final class CountingBcrypt extends BCryptPasswordEncoder {
    final AtomicLong checks = new AtomicLong();

    CountingBcrypt() {
      super(4);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
      checks.incrementAndGet();
      return super.matches(rawPassword, encodedPassword);
    }
  }

  private final CountingBcrypt bcrypt = new CountingBcrypt();
  private final AtomicLong now = new AtomicLong();
  private final RememberingPasswordEncoder encoder = new RememberingPasswordEncoder(bcrypt, now::get);

  @Test
  void aVerifiedPasswordIsNotHashedAgain() {
    String hash = encoder.encode("s3cret-peer-password");
    assertThat(hash).startsWith("$2a$04$");

    for (int i = 0; i < 5; i++) {
      assertThat(encoder.matches("s3cret-peer-password", hash)).isTrue();
    }
    assertThat(bcrypt.checks).hasValue(1);
  }

  @Test
  void wrongPasswordsAreRefusedAndEachCostsAFullCheck() {
    String hash = encoder.encode("right");
    assertThat(encoder.matches("right", hash)).isTrue();

    assertThat(encoder.matches("wrong", hash)).isFalse();
    assertThat(encoder.matches("wrong", hash)).isFalse();
    assertThat(encoder.matches("righ", hash)).isFalse();
    assertThat(bcrypt.checks).hasValue(4);
    assertThat(encoder.matches("right", hash)).isTrue();
    assertThat(bcrypt.checks).hasValue(4);
  }

  @Test
  void aRememberedPasswordDoesNotOpenAnotherHash() {
    String first = encoder.encode("same-password");
    String other = encoder.encode("other-password");
    assertThat(encoder.matches("same-password", first)).isTrue();

    // a changed password is a new stored hash: the old password must not match it
    assertThat(encoder.matches("same-password", other)).isFalse();
    assertThat(encoder.matches("other-password", other)).isTrue();
    // and the same password under a fresh hash (new salt) is checked in full once
    String again = encoder.encode("same-password");
    long before = bcrypt.checks.get();
    assertThat(encoder.matches("same-password", again)).isTrue();
    assertThat(bcrypt.checks.get()).isEqualTo(before + 1);
  }

  @Test
  void aRememberedMatchExpires() {
    String hash = encoder.encode("pw");
    assertThat(encoder.matches("pw", hash)).isTrue();
    now.addAndGet(RememberingPasswordEncoder.LIFETIME_NANOS - 1);
    assertThat(encoder.matches("pw", hash)).isTrue();
    assertThat(bcrypt.checks).hasValue(1);

    now.addAndGet(RememberingPasswordEncoder.LIFETIME_NANOS);
    assertThat(encoder.matches("pw", hash)).isTrue();
    assertThat(bcrypt.checks).hasValue(2);
  }

  @Test
  void aMissingHashMatchesNothing() {
    assertThat(encoder.matches("pw", null)).isFalse();
    assertThat(encoder.matches("pw", "")).isFalse();
  }
}
