package io.peersql.peer.index;

import java.util.List;

/**
 * What one peer holds of a range-indexed column: its values as a few buckets (one [min, max]
 * bucket when the values spread evenly, finer buckets when they are skewed or have gaps).
 *
 * @param table global table
 * @param column range-indexed column
 * @param buckets ordered, non-overlapping buckets
 */
public record ColumnRanges(String table, String column, List<RangeBucket> buckets) {

  public ColumnRanges {
    buckets = List.copyOf(buckets);
  }
}
