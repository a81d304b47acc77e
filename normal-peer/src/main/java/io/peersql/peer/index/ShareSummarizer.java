package io.peersql.peer.index;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
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
 * bucket per cluster, so a range filter that falls in a hole skips the peer. Every bucket
 * carries its rows and distinct values: the requesting peers' cost model estimates range and
 * equality filters and grouping from them. One ordered pass over the column's distinct values
 * computes it all.
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

  /** A hole between two consecutive distinct values, with the rows and values below it. */
  private record Hole(Object below, Object above, double width, long rowsBelow, long distinctBelow) {
  }

  /**
   * One pass over the column's distinct values in order ({@code group by} on an indexed column
   * streams from the index): totals, and the widest holes so far in a small heap.
   */
  private static List<RangeBucket> buckets(Connection connection, String table, String column) throws SQLException {
    var sql = "select " + column + ", count(*) from " + table + " where " + column + " is not null group by "
        + column + " order by " + column;
    Object min = null;
    Object previous = null;
    long rows = 0;
    long distinct = 0;
    var widest = new PriorityQueue<Hole>(Comparator.comparingDouble(Hole::width));
    boolean autoCommit = connection.getAutoCommit();
    // PostgreSQL streams a result in fetch-size chunks only inside a transaction.
    connection.setAutoCommit(false);
    try (var statement = connection.createStatement()) {
      statement.setFetchSize(10_000);
      try (var result = statement.executeQuery(sql)) {
        while (result.next()) {
          var value = normalize(result.getObject(1));
          if (previous == null) {
            min = value;
          } else {
            double width = width(previous, value);
            if (width > 0) {
              widest.add(new Hole(previous, value, width, rows, distinct));
              if (widest.size() > BUCKETS - 1) {
                widest.poll();
              }
            }
          }
          rows += result.getLong(2);
          distinct++;
          previous = value;
        }
      }
    } finally {
      connection.commit();
      connection.setAutoCommit(autoCommit);
    }
    if (rows == 0) {
      return List.of();
    }
    double span = width(min, previous);
    // Text (no arithmetic on the values) or a single value: the whole range is one bucket.
    var cuts = span <= 0 ? List.<Hole>of() : widest.stream()
        .filter(hole -> hole.width() > span * MIN_GAP)
        .sorted(Comparator.comparingLong(Hole::distinctBelow))
        .toList();
    var buckets = new ArrayList<RangeBucket>();
    Object low = min;
    long rowsBefore = 0;
    long distinctBefore = 0;
    for (var cut : cuts) {
      buckets.add(new RangeBucket(low, cut.below(), cut.rowsBelow() - rowsBefore, cut.distinctBelow() - distinctBefore));
      low = cut.above();
      rowsBefore = cut.rowsBelow();
      distinctBefore = cut.distinctBelow();
    }
    buckets.add(new RangeBucket(low, previous, rows - rowsBefore, distinct - distinctBefore));
    return buckets;
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
