package io.peersql.peer.load;

import java.time.Instant;
import java.util.Map;

/**
 * A load as the peer's API reports it.
 *
 * @param id job number, unique while the peer runs
 * @param mode full or incremental
 * @param state where the job is
 * @param progress the latest progress report, null before the first
 * @param rows rows written per table, once succeeded
 * @param error why the job failed, if it did
 * @param startedAt when it started
 * @param finishedAt when it ended, null while running
 */
public record LoadJob(long id, LoadMode mode, State state, LoadProgress progress, Map<String, Long> rows,
    String error, Instant startedAt, Instant finishedAt) {

  /** The states of a load job. */
  public enum State { RUNNING, SUCCEEDED, FAILED, CANCELLED }
}
