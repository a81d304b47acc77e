package io.peersql.bootstrap;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The base of the API tests: the whole service on a random port over the test database (H2 or
 * PostgreSQL, see {@link TestDatabase}), with a hand-moved clock, a recording lifecycle hook and
 * the health monitor's schedule off (tests sweep by hand). All test classes share one running
 * service, so each test works under names of its own ({@link #unique}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "peersql.bootstrap.security.provider.password=" + ApiTestSupport.PROVIDER_PASSWORD,
    "peersql.bootstrap.security.bcrypt-strength=4",
    "peersql.bootstrap.health.enabled=false",
    "peersql.bootstrap.health.suspect-after=15s",
    "peersql.bootstrap.health.fail-after=45s",
    "peersql.bootstrap.max-request-size=256KB"})
@Import(ApiTestSupport.TestBeans.class)
public abstract class ApiTestSupport {

  public static final String PROVIDER_PASSWORD = "provider-secret-1";
  private static final AtomicInteger NAMES = new AtomicInteger();

  @TestConfiguration
  static class TestBeans {

    @Bean
    @Primary
    MutableClock testClock() {
      return new MutableClock();
    }

    @Bean
    RecordingPeerLifecycle recordingPeerLifecycle() {
      return new RecordingPeerLifecycle();
    }
  }

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @LocalServerPort
  int port;

  @Autowired
  protected MutableClock clock;

  @Autowired
  protected RecordingPeerLifecycle lifecycle;

  /** A client of the running service. */
  protected Api api() {
    return new Api("http://127.0.0.1:" + port);
  }

  /** The client logged in as the provider. */
  protected Api provider() {
    return api().as("provider", PROVIDER_PASSWORD);
  }

  /** A name no other test uses: {@code prefix-N}. */
  protected static String unique(String prefix) {
    return prefix + "-" + NAMES.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100_000, 36);
  }
}
