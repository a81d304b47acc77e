package io.peersql.baton.sim;

/**
 * Network model of the simulator.
 *
 * @param minDelayMs smallest one-way message delay (virtual ms)
 * @param maxDelayMs largest one-way message delay (virtual ms)
 * @param lossRate probability that a droppable message is lost
 * @param tickMs period of the timer delivered to every node; 0 disables timers
 * @param stopAfterLeave a node that has left stops at once, as a peer that closes its
 *     socket right after a graceful leave: what it sent still arrives, messages to it bounce
 *     (otherwise it lingers and forwards what reaches it to its successor)
 */
public record SimConfig(long minDelayMs, long maxDelayMs, double lossRate, long tickMs,
    boolean stopAfterLeave) {

  /** A network with 1-20 ms delays, no loss and 100 ms ticks; departed nodes linger. */
  public static SimConfig standard() {
    return new SimConfig(1, 20, 0.0, 100, false);
  }

  public SimConfig withLoss(double loss) {
    return new SimConfig(minDelayMs, maxDelayMs, loss, tickMs, stopAfterLeave);
  }

  public SimConfig withTicks(long tick) {
    return new SimConfig(minDelayMs, maxDelayMs, lossRate, tick, stopAfterLeave);
  }

  public SimConfig withStopAfterLeave(boolean stop) {
    return new SimConfig(minDelayMs, maxDelayMs, lossRate, tickMs, stop);
  }
}
