package io.peersql.baton.core;

import java.util.Map;
import java.util.TreeMap;

/** Counters of one node: messages sent and forwarded, by message type. */
public final class NodeStats {
  private final Map<String, Long> sent = new TreeMap<>();
  private final Map<String, Long> forwarded = new TreeMap<>();

  void countSent(Message m) {
    sent.merge(m.type(), 1L, Long::sum);
  }

  void countForwarded(Message m) {
    forwarded.merge(m.type(), 1L, Long::sum);
  }

  /** Messages sent by this node, by type (forwards included). */
  public synchronized Map<String, Long> sent() {
    return Map.copyOf(sent);
  }

  /** Routed messages this node passed on toward their destination, by type. */
  public synchronized Map<String, Long> forwarded() {
    return Map.copyOf(forwarded);
  }

  public long totalSent() {
    return sent.values().stream().mapToLong(Long::longValue).sum();
  }
}
