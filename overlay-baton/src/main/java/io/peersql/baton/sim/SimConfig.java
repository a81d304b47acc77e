package io.peersql.baton.sim;

/**
 * Network model of the simulator.
 *
 * @param minDelayMs smallest one-way message delay (virtual ms)
 * @param maxDelayMs largest one-way message delay (virtual ms)
 * @param lossRate probability that a droppable message is lost
 * @param tickMs period of the timer delivered to every node; 0 disables timers
 * @param stopAfterLeaveMs a node that has left stops this long after it left, as a peer that
 *     closes its socket after a graceful leave: what it sent still arrives, messages to it
 *     bounce; until then it answers stale links with {@code Moved} and forwards what
 *     reaches it to its successor. -1: it never stops.
 */
public record SimConfig(long minDelayMs, long maxDelayMs, double lossRate, long tickMs,
    long stopAfterLeaveMs) {

  /** A network with 1-20 ms delays, no loss and 100 ms ticks; departed nodes never stop. */
  public static SimConfig standard() {
    return new SimConfig(1, 20, 0.0, 100, -1);
  }

  public SimConfig withLoss(double loss) {
    return new SimConfig(minDelayMs, maxDelayMs, loss, tickMs, stopAfterLeaveMs);
  }

  public SimConfig withTicks(long tick) {
    return new SimConfig(minDelayMs, maxDelayMs, lossRate, tick, stopAfterLeaveMs);
  }

  /** Departed nodes stop {@code ms} after leaving (0: at once; -1: never). */
  public SimConfig withStopAfterLeave(long ms) {
    return new SimConfig(minDelayMs, maxDelayMs, lossRate, tickMs, ms);
  }
}
