package io.peersql.query.peer;

import java.util.List;
import java.util.OptionalLong;

/**
 * Which peers hold a table, and which of them hold values of a range-indexed column in a given
 * range. The peer implements it over the overlay's table and range indexes; the engine asks it
 * at planning time (statistics, EXPLAIN) and again for every execution (the peers to contact).
 *
 * <p>Values passed as bounds are of the column's Java type: {@link Long} for BIGINT and INTEGER,
 * {@link java.math.BigDecimal} for DECIMAL, {@link Double} for DOUBLE, {@link java.time.LocalDate}
 * for DATE, {@link java.time.LocalDateTime} for TIMESTAMP, {@link String} for VARCHAR.
 * Implementations must be thread-safe.
 */
public interface PeerLocator {

  /** The peers holding rows of {@code table} (global-schema name, lower case). */
  List<PeerRef> peersHolding(String table);

  /**
   * The peers whose rows of {@code table} may have {@code column} between {@code low} and
   * {@code high}, both inclusive; a null bound is unbounded. Returning more peers than needed is
   * allowed (it costs time, not correctness); returning fewer loses rows.
   */
  List<PeerRef> peersOverlapping(String table, String column, Comparable<?> low, Comparable<?> high);

  /** Rows of {@code table} held by {@code peer}, if known; used by the cost model. */
  default OptionalLong rowCount(PeerRef peer, String table) {
    return OptionalLong.empty();
  }

  /**
   * All peers' buckets of a range-indexed column, gathered when they loaded their data; empty
   * when unknown. The cost model estimates range and equality filters and grouping from them.
   */
  default List<ValueBucket> histogram(String table, String column) {
    return List.of();
  }
}
