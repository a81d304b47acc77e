package io.peersql.peer.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachingSharedIndexTest {

  private static List<String> texts(List<byte[]> values) {
    return values.stream().map(value -> new String(value, StandardCharsets.UTF_8)).toList();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void othersWritesShowAfterTheTtlAndOwnWritesAtOnce() throws Exception {
    var shared = new InMemorySharedIndex();
    var clock = new AtomicLong();
    var mine = new CachingSharedIndex(shared, Duration.ofSeconds(2), clock::get);
    var prefix = List.<Object>of("t", "orders");
    shared.put(List.of("t", "orders", "peer-1"), bytes("peer-1"));
    assertThat(texts(mine.scan(prefix, prefix))).containsExactly("peer-1");

    // Another peer publishes straight into the shared index: not seen until the ttl passes.
    shared.put(List.of("t", "orders", "peer-2"), bytes("peer-2"));
    clock.addAndGet(Duration.ofMillis(1999).toNanos());
    assertThat(texts(mine.scan(prefix, prefix))).containsExactly("peer-1");
    clock.addAndGet(Duration.ofMillis(2).toNanos());
    assertThat(texts(mine.scan(prefix, prefix))).containsExactly("peer-1", "peer-2");

    // This peer's own write is visible to its next lookup.
    mine.remove(List.of("t", "orders", "peer-1"), bytes("peer-1"));
    assertThat(texts(mine.scan(prefix, prefix))).containsExactly("peer-2");
  }

  @Test
  void aZeroTtlAlwaysAsksTheIndex() throws Exception {
    var shared = new InMemorySharedIndex();
    var uncached = new CachingSharedIndex(shared, Duration.ZERO, () -> 0L);
    var prefix = List.<Object>of("t", "orders");
    assertThat(uncached.scan(prefix, prefix)).isEmpty();
    shared.put(List.of("t", "orders", "peer-1"), bytes("peer-1"));
    assertThat(texts(uncached.scan(prefix, prefix))).containsExactly("peer-1");
  }
}
