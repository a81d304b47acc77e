package io.peersql.query.distributed;

import com.google.common.collect.Range;
import com.google.common.collect.RangeSet;
import io.peersql.query.peer.ValueBucket;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.metadata.RelMdUtil;
import org.apache.calcite.rex.RexNode;

/**
 * Estimates from the peers' histograms of range-indexed columns (gathered when each peer loaded
 * its data and published in the overlay's range index): the fraction of a distributed table's
 * rows that pass a filter, and a column's distinct values. Values are assumed spread evenly
 * inside a bucket; conditions on other columns, or ones that are not ranges of literals, keep
 * Calcite's guesses.
 */
final class Histograms {

  private Histograms() {
  }

  /** The fraction of {@code table}'s rows that satisfy {@code predicate} (on the scan's fields). */
  static double selectivity(DistributedTable table, RexNode predicate) {
    var byColumn = new LinkedHashMap<Integer, List<RexNode>>();
    var histograms = new HashMap<Integer, List<ValueBucket>>();
    var others = new ArrayList<RexNode>();
    for (var conjunct : RelOptUtil.conjunctions(predicate)) {
      var fields = RelOptUtil.InputFinder.bits(conjunct);
      if (fields.cardinality() == 1
          && !histograms.computeIfAbsent(fields.nth(0), field -> histogram(table, field)).isEmpty()
          && !ValueRanges.rangesOf(conjunct).encloses(Range.all())) {
        byColumn.computeIfAbsent(fields.nth(0), f -> new ArrayList<>()).add(conjunct);
      } else {
        others.add(conjunct);
      }
    }
    double selectivity = 1;
    for (var entry : byColumn.entrySet()) {
      selectivity *= fraction(histograms.get(entry.getKey()), ValueRanges.allowed(entry.getValue()));
    }
    for (var other : others) {
      selectivity *= RelMdUtil.guessSelectivity(other);
    }
    return selectivity;
  }

  /**
   * Distinct values of the field in the whole network, if its histogram counts them: the sum of
   * the peers' counts (exact for columns partitioned by value, such as keys), but no more than a
   * whole-number or date column can take within the histogram's span (a date held by every peer
   * is counted once).
   */
  static Double distinctValues(DistributedTable table, int field) {
    var buckets = histogram(table, field);
    if (buckets.isEmpty() || buckets.stream().anyMatch(bucket -> bucket.distinct() <= 0)) {
      return null;
    }
    double sum = buckets.stream().mapToLong(ValueBucket::distinct).sum();
    double low = Double.POSITIVE_INFINITY;
    double high = Double.NEGATIVE_INFINITY;
    for (var bucket : buckets) {
      if (!discrete(bucket.low())) {
        return sum;
      }
      low = Math.min(low, position(bucket.low()));
      high = Math.max(high, position(bucket.high()));
    }
    return Math.max(1, Math.min(sum, high - low + 1));
  }

  private static List<ValueBucket> histogram(DistributedTable table, int field) {
    var definition = table.definition();
    if (field >= definition.columns().size()) {
      return List.of();
    }
    var column = definition.columns().get(field).name();
    if (!definition.rangeIndexed().contains(column)) {
      return List.of();
    }
    return table.runtime().locator().histogram(definition.name(), column);
  }

  /** The fraction of the histogram's rows whose value is in {@code allowed}; at least one row. */
  @SuppressWarnings("rawtypes")
  private static double fraction(List<ValueBucket> buckets, RangeSet<Comparable> allowed) {
    double total = buckets.stream().mapToLong(ValueBucket::rows).sum();
    if (total <= 0) {
      return 1;
    }
    double matched = 0;
    for (var bucket : buckets) {
      for (var range : allowed.asRanges()) {
        matched += bucket.rows() * coverage(bucket, range);
      }
    }
    return Math.min(1, Math.max(matched, 1) / total);
  }

  /** The share of a bucket's rows that fall in {@code range}. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  static double coverage(ValueBucket bucket, Range<Comparable> range) {
    if (range.hasLowerBound() && range.hasUpperBound() && range.lowerEndpoint().equals(range.upperEndpoint())) {
      // A point: one of the bucket's distinct values, if it lies inside.
      var value = range.lowerEndpoint();
      Integer below = compare(value, bucket.low());
      Integer above = compare(value, bucket.high());
      if (below == null || above == null) {
        return 1.0 / Math.max(bucket.distinct(), 1);
      }
      return below >= 0 && above <= 0 ? 1.0 / Math.max(bucket.distinct(), 1) : 0;
    }
    double low = position(bucket.low());
    double high = position(bucket.high());
    double from = range.hasLowerBound() ? position(range.lowerEndpoint()) : Double.NEGATIVE_INFINITY;
    double to = range.hasUpperBound() ? position(range.upperEndpoint()) : Double.POSITIVE_INFINITY;
    if (Double.isNaN(low) || Double.isNaN(high) || Double.isNaN(from) || Double.isNaN(to)) {
      // Text: all or nothing when the range holds or misses the whole bucket, else a guess.
      Integer startsAfter = range.hasUpperBound() ? compare(range.upperEndpoint(), bucket.low()) : Integer.valueOf(1);
      Integer endsBefore = range.hasLowerBound() ? compare(range.lowerEndpoint(), bucket.high()) : Integer.valueOf(-1);
      if ((startsAfter != null && startsAfter < 0) || (endsBefore != null && endsBefore > 0)) {
        return 0;
      }
      boolean holdsAll = range.contains((Comparable) bucket.low()) && range.contains((Comparable) bucket.high());
      return holdsAll ? 1 : 0.5;
    }
    if (discrete(bucket.low())) {
      // Whole numbers and days: count values, so [5, 5] of a bucket [1, 10] is a tenth.
      if (range.hasLowerBound() && range.lowerBoundType() == com.google.common.collect.BoundType.OPEN) {
        from = Math.floor(from) + 1;
      }
      if (range.hasUpperBound() && range.upperBoundType() == com.google.common.collect.BoundType.OPEN) {
        to = Math.ceil(to) - 1;
      }
      double covered = Math.min(to, high) - Math.max(from, low) + 1;
      return Math.max(0, Math.min(1, covered / (high - low + 1)));
    }
    if (high == low) {
      return from <= low && low <= to ? 1 : 0;
    }
    double covered = Math.min(to, high) - Math.max(from, low);
    return Math.max(0, Math.min(1, covered / (high - low)));
  }

  private static boolean discrete(Object value) {
    return value instanceof Long || value instanceof Integer || value instanceof LocalDate;
  }

  /** A value's place on a number line: numbers as they are, dates as days; NaN for text. */
  static double position(Object value) {
    return switch (value) {
      case Long l -> l;
      case Integer i -> i;
      case BigDecimal d -> d.doubleValue();
      case Double d -> d;
      case LocalDate d -> d.toEpochDay();
      case LocalDateTime t -> t.toLocalDate().toEpochDay() + t.toLocalTime().toSecondOfDay() / 86_400.0;
      default -> Double.NaN;
    };
  }

  /** Compares a bound with a bucket end of possibly another numeric or date type; null if they do not compare. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static Integer compare(Object a, Object b) {
    if (a.getClass() == b.getClass()) {
      return ((Comparable) a).compareTo(b);
    }
    double x = position(a);
    double y = position(b);
    return Double.isNaN(x) || Double.isNaN(y) ? null : Double.compare(x, y);
  }
}
