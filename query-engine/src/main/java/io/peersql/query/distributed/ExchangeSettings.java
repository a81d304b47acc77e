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
 * @param spoolRows a scan's answer up to this many rows is kept for replay when the plan reads
 *     the scan more than once (the inner side of a nested-loop join), instead of asking the peers
 *     again; larger answers are fetched again
 * @param inListKeys semi-join reduction sends a join's keys to the peers as an IN list up to this
 *     many distinct keys; above, as a Bloom filter (up to {@link KeyChannel#MAX_FILTERED_KEYS})
 */
public record ExchangeSettings(int batchRows, int queuedBatches, Duration queryTimeout, int spoolRows,
    int inListKeys) {

  /**
   * Defaults: 256-row batches, 32 batches queued, 10-minute timeout, replay up to 100,000 rows,
   * IN lists up to {@link SemiJoinReduction#MAX_KEYS} keys.
   */
  public static final ExchangeSettings DEFAULT =
      new ExchangeSettings(256, 32, Duration.ofMinutes(10), 100_000, SemiJoinReduction.MAX_KEYS);

  /** Creates ExchangeSettings, checking them. */
  public ExchangeSettings {
    if (batchRows < 1 || queuedBatches < 1) {
      throw new IllegalArgumentException("batchRows and queuedBatches must be positive");
    }
    requireNonNull(queryTimeout, "queryTimeout is null");
    if (inListKeys < 0) {
      throw new IllegalArgumentException("inListKeys must not be negative");
    }
  }

  /** The same settings with another timeout. */
  public ExchangeSettings withQueryTimeout(Duration timeout) {
    return new ExchangeSettings(batchRows, queuedBatches, timeout, spoolRows, inListKeys);
  }

  /** The same settings with another IN-list limit for semi-join reduction. */
  public ExchangeSettings withInListKeys(int keys) {
    return new ExchangeSettings(batchRows, queuedBatches, queryTimeout, spoolRows, keys);
  }
}
