package io.peersql.baton.sim;

/**
 * Runs one churn seed and prints the message trace before a violation (debugging aid).
 * Arguments: seed, then flags {@code f} (crashes), {@code p} (partitions), {@code s}
 * (departed nodes stop at once; use {@code -} for none), then the loss rate.
 */
public final class DebugChurn {
  private static String routing(io.peersql.baton.core.BatonProtocol n) {
    if (n.position() == null) {
      return "";
    }
    var b = new StringBuilder(" rt=");
    for (var side : io.peersql.baton.core.Side.values()) {
      b.append(side).append('[');
      for (int i = 0; i < n.routingTableSize(side); i++) {
        var e = n.routingEntry(side, i);
        b.append(e == null ? "-" : e.node() + "@" + e.position() + (e.hasChildren() ? "*" : ""))
            .append(' ');
      }
      b.append(']');
    }
    return b.toString();
  }

  public static void main(String[] args) {
    long seed = Long.parseLong(args[0]);
    boolean failures = args.length > 1 && args[1].contains("f");
    boolean partitions = args.length > 1 && args[1].contains("p");
    double loss = args.length > 2 ? Double.parseDouble(args[2]) : 0;
    long stopAfterLeave = args.length > 1 && args[1].contains("s")
        ? Long.getLong("linger", 0) : -1;
    var s = new ChurnScenario(seed, loss, stopAfterLeave,
        Integer.getInteger("lb", io.peersql.baton.core.ProtocolConfig.simulation().loadBalanceThreshold()));
    s.sim.keepTrace(Integer.parseInt(System.getProperty("trace", "60")));
    try {
      s.build(20);
      s.run(150, failures, partitions);
      s.settle();
      System.out.println("OK joins=" + s.joins + " leaves=" + s.leaves + " crashes=" + s.crashes);
    } catch (RuntimeException | AssertionError e) {
      s.sim.trace().forEach(System.out::println);
      System.out.println("t=" + s.sim.now() + " " + e);
      for (var n : s.sim.nodes()) {
        System.out.println("  " + n + " p=" + n.parent() + " l=" + n.leftChild() + " r=" + n.rightChild()
            + " la=" + n.leftAdjacent() + " ra=" + n.rightAdjacent() + (s.sim.isCrashed(n.self()) ? " CRASHED" : "") + routing(n));
      }
    }
  }
}
