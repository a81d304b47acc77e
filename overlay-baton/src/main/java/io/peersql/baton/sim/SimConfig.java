package io.peersql.baton.sim;

/**
 * Network model of the simulator.
 *
 * @param minDelayMs smallest one-way message delay (virtual ms)
 * @param maxDelayMs largest one-way message delay (virtual ms)
 * @param lossRate probability that a droppable message is lost
 * @param tickMs period of the timer delivered to every node; 0 disables timers
 */
public record SimConfig(long minDelayMs, long maxDelayMs, double lossRate, long tickMs) {

  /** A network with 1-20 ms delays, no loss and 100 ms ticks. */
  public static SimConfig standard() {
    return new SimConfig(1, 20, 0.0, 100);
  }

  public SimConfig withLoss(double loss) {
    return new SimConfig(minDelayMs, maxDelayMs, loss, tickMs);
  }

  public SimConfig withTicks(long tick) {
    return new SimConfig(minDelayMs, maxDelayMs, lossRate, tick);
  }
}
