package io.peersql.query.distributed;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How the parallel exchange behaves.
 *
 * @param batchRows rows a peer's reader hands over at a time
 * @param queuedBatches batches buffered at most between all peers' readers and the consumer; with
 *     {@code batchRows} this bounds the memory a scan holds, whatever the number of rows
 * @param queryTimeout longest a distributed scan may run before it fails (and aborts the peers)
 */
public record ExchangeSettings(int batchRows, int queuedBatches, Duration queryTimeout) {

  /** Defaults: 256-row batches, 32 batches queued, 10-minute timeout. */
  public static final ExchangeSettings DEFAULT = new ExchangeSettings(256, 32, Duration.ofMinutes(10));

  /** Creates ExchangeSettings, checking them. */
  public ExchangeSettings {
    if (batchRows < 1 || queuedBatches < 1) {
      throw new IllegalArgumentException("batchRows and queuedBatches must be positive");
    }
    requireNonNull(queryTimeout, "queryTimeout is null");
  }

  /** The same settings with another timeout. */
  public ExchangeSettings withQueryTimeout(Duration timeout) {
    return new ExchangeSettings(batchRows, queuedBatches, timeout);
  }
}
