package io.peersql.baton.core;

/**
 * Timing and size settings of the protocol, in milliseconds of whatever clock the runtime
 * passes in (virtual under the simulator, wall clock under the TCP transport).
 *
 * @param pingEveryTicks send pings to parent, children and adjacent nodes every this many ticks
 * @param suspectAfterMs a link not heard from for this long is suspected
 * @param fenceAfterMs a node that hears from none of its links for this long fences itself
 * @param repairAfterMs the left adjacent node of a silent node repairs it after this long
 *     (the right adjacent after twice as long); must exceed fenceAfterMs plus two ping
 *     periods plus twice the maximum message delay so a cut-off node fences first
 * @param lockLeaseMs a lock not committed within this time is released
 * @param requestTimeoutMs a client operation with no answer is retried after this long
 * @param requestAttempts attempts before a client operation fails
 * @param maxHops routed messages are dropped (and fail) after this many hops
 * @param loadBalanceThreshold a node holding more entries than this may shift load
 */
public record ProtocolConfig(int pingEveryTicks, long suspectAfterMs, long fenceAfterMs,
    long repairAfterMs, long lockLeaseMs, long requestTimeoutMs, int requestAttempts,
    int maxHops, int loadBalanceThreshold) {

  /** These settings with another load-balancing threshold. */
  public ProtocolConfig withLoadBalanceThreshold(int entries) {
    return new ProtocolConfig(pingEveryTicks, suspectAfterMs, fenceAfterMs, repairAfterMs,
        lockLeaseMs, requestTimeoutMs, requestAttempts, maxHops, entries);
  }

  /** These settings with another lock lease. */
  public ProtocolConfig withLockLeaseMs(long ms) {
    return new ProtocolConfig(pingEveryTicks, suspectAfterMs, fenceAfterMs, repairAfterMs, ms,
        requestTimeoutMs, requestAttempts, maxHops, loadBalanceThreshold);
  }

  /** Settings for the simulator: ticks of 100 virtual ms, message delays of a few ms. */
  public static ProtocolConfig simulation() {
    return new ProtocolConfig(1, 400, 700, 1400, 1000, 400, 6, 120, 64);
  }

  /**
   * Settings for loopback or LAN TCP: ticks of 100 ms. A node fences itself after 8 s without
   * hearing any link and is repaired after 12 s: peers loading large data sets on a busy machine
   * stall for seconds (garbage collection, CPU starvation), and with 2.5 s they fenced
   * themselves in the middle of TPC-H at scale 1. Operations retry every 2.5 s, six times.
   */
  public static ProtocolConfig network() {
    return new ProtocolConfig(2, 4000, 8000, 12000, 8000, 2500, 6, 120, 256);
  }
}
