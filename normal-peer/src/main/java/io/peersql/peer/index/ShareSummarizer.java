package io.peersql.peer.index;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

import static java.util.Objects.requireNonNull;

/**
 * Reads from the peer's store what it shares: row counts of the global tables, their columns,
 * and the value ranges of the range-indexed columns.
 *
 * <p>Ranges: a column's values are described by {@code [min, max]}, cut at its widest holes
 * (at most {@value #BUCKETS} buckets) where a hole is wider than {@value #MIN_GAP} of the whole
 * span. Evenly spread values (TPC-H keys of a slice) give one bucket; clustered values give one
 * bucket per cluster, so a range filter that falls in a hole skips the peer.
 */
public final class ShareSummarizer {

  /** At most this many buckets per column. */
  static final int BUCKETS = 8;
  /** A hole narrower than this fraction of the column's span does not cut a bucket. */
  static final double MIN_GAP = 0.02;

  private final DataSource store;

  /** Creates a ShareSummarizer reading the given store. */
  public ShareSummarizer(DataSource store) {
    this.store = requireNonNull(store, "store is null");
  }

  /**
   * Summarizes the given global tables.
   *
   * @param tables the global tables to look at (lower-case names)
   * @param rangeIndexed table name to its range-indexed columns
   */
  public ShareSummary summarize(List<String> tables, Map<String, List<String>> rangeIndexed) throws SQLException {
    var rows = new TreeMap<String, Long>();
    var columns = new TreeMap<String, List<String>>();
    var ranges = new ArrayList<ColumnRanges>();
    try (var connection = store.getConnection()) {
      for (var table : tables) {
        var stored = storedName(connection, table);
        if (stored == null) {
          continue;
        }
        long count = count(connection, stored);
        if (count == 0) {
          continue;
        }
        rows.put(table, count);
        columns.put(table, columnsOf(connection, stored));
        for (var column : rangeIndexed.getOrDefault(table, List.of())) {
          if (columns.get(table).contains(column.toLowerCase())) {
            ranges.add(new ColumnRanges(table, column.toLowerCase(), buckets(connection, stored, column)));
          }
        }
      }
    }
    return new ShareSummary(rows, columns, ranges);
  }

  private static String storedName(Connection connection, String table) throws SQLException {
    var meta = connection.getMetaData();
    for (var candidate : List.of(table, table.toUpperCase(), table.toLowerCase())) {
      try (var found = meta.getTables(null, connection.getSchema(), candidate, null)) {
        if (found.next()) {
          return found.getString("TABLE_NAME");
        }
      }
    }
    return null;
  }

  private static long count(Connection connection, String table) throws SQLException {
    try (var statement = connection.createStatement();
        var result = statement.executeQuery("select count(*) from " + table)) {
      result.next();
      return result.getLong(1);
    }
  }

  private static List<String> columnsOf(Connection connection, String table) throws SQLException {
    var names = new ArrayList<String>();
    try (var found = connection.getMetaData().getColumns(null, connection.getSchema(), table, null)) {
      while (found.next()) {
        names.add(found.getString("COLUMN_NAME").toLowerCase());
      }
    }
    return names;
  }

  private static List<RangeBucket> buckets(Connection connection, String table, String column) throws SQLException {
    Object min;
    Object max;
    long rows;
    try (var statement = connection.createStatement(); var result = statement.executeQuery(
        "select min(" + column + "), max(" + column + "), count(" + column + ") from " + table)) {
      result.next();
      min = normalize(result.getObject(1));
      max = normalize(result.getObject(2));
      rows = result.getLong(3);
    }
    if (rows == 0) {
      return List.of();
    }
    double span = width(min, max);
    if (span <= 0) {
      // Text (no arithmetic on the values) or a single value: the whole range is one bucket.
      return List.of(new RangeBucket(min, max, rows));
    }
    // The widest holes between consecutive distinct values, if they matter against the span.
    var gaps = new ArrayList<Object[]>();
    var sql = "select v, nxt from (select v, lead(v) over (order by v) as nxt from (select distinct " + column
        + " as v from " + table + " where " + column + " is not null) d) g where nxt is not null";
    try (var statement = connection.createStatement(); var result = statement.executeQuery(sql)) {
      while (result.next()) {
        var low = normalize(result.getObject(1));
        var high = normalize(result.getObject(2));
        if (width(low, high) > span * MIN_GAP) {
          gaps.add(new Object[] {low, high, width(low, high)});
        }
      }
    }
    gaps.sort((a, b) -> Double.compare((double) b[2], (double) a[2]));
    var cuts = new ArrayList<>(gaps.subList(0, Math.min(gaps.size(), BUCKETS - 1)));
    cuts.sort((a, b) -> compare(a[0], b[0]));
    var buckets = new ArrayList<RangeBucket>();
    Object low = min;
    for (var cut : cuts) {
      buckets.add(new RangeBucket(low, cut[0], countBetween(connection, table, column, low, cut[0])));
      low = cut[1];
    }
    buckets.add(new RangeBucket(low, max, countBetween(connection, table, column, low, max)));
    return buckets;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    return ((Comparable) a).compareTo(b);
  }

  private static long countBetween(Connection connection, String table, String column, Object low, Object high)
      throws SQLException {
    try (var count = connection.prepareStatement(
        "select count(*) from " + table + " where " + column + " between ? and ?")) {
      count.setObject(1, low);
      count.setObject(2, high);
      try (var result = count.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }

  private static double width(Object low, Object high) {
    return switch (low) {
      case Long l -> (double) ((Long) high - l);
      case BigDecimal d -> ((BigDecimal) high).subtract(d).doubleValue();
      case LocalDate d -> (double) (((LocalDate) high).toEpochDay() - d.toEpochDay());
      default -> -1;
    };
  }

  /** Values in the few Java types the overlay keys support. */
  static Object normalize(Object value) {
    return switch (value) {
      case Integer i -> (long) i;
      case Short s -> (long) s;
      case Long l -> l;
      case BigDecimal d -> d;
      case Double d -> BigDecimal.valueOf(d);
      case Float f -> BigDecimal.valueOf(f.doubleValue());
      case Date d -> d.toLocalDate();
      case LocalDate d -> d;
      case java.sql.Timestamp t -> t.toLocalDateTime().toLocalDate();
      default -> value.toString();
    };
  }
}
