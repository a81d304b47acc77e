package io.peersql.baton.core;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counters of one node: messages sent and forwarded, by message type. Counted per message
 * class (cheap on the hot path), reported by type name. Thread-safe: the owner's thread
 * counts, any thread may read.
 */
public final class NodeStats {
  private final Map<Class<?>, long[]> sent = new HashMap<>();
  private final Map<Class<?>, long[]> forwarded = new HashMap<>();

  synchronized void countSent(Message m) {
    sent.computeIfAbsent(m.getClass(), k -> new long[1])[0]++;
  }

  synchronized void countForwarded(Message m) {
    forwarded.computeIfAbsent(m.getClass(), k -> new long[1])[0]++;
  }

  /** Messages sent by this node, by type (forwards included). */
  public synchronized Map<String, Long> sent() {
    return byName(sent);
  }

  /** Routed messages this node passed on toward their destination, by type. */
  public synchronized Map<String, Long> forwarded() {
    return byName(forwarded);
  }

  public synchronized long totalSent() {
    long total = 0;
    for (var c : sent.values()) {
      total += c[0];
    }
    return total;
  }

  private static Map<String, Long> byName(Map<Class<?>, long[]> counts) {
    var m = new TreeMap<String, Long>();
    counts.forEach((c, n) -> m.merge(c.getSimpleName(), n[0], Long::sum));
    return Map.copyOf(m);
  }
}
