package io.peersql.deploy.bench;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** A query's answer as plain values, and how two answers are compared. */
record Answers(List<String> columns, List<List<Object>> rows) {

  /** Runs {@code sql} and reads every row. */
  static Answers run(Connection connection, String sql) throws SQLException {
    try (var statement = connection.createStatement(); var result = statement.executeQuery(sql)) {
      return read(result);
    }
  }

  /** Reads every row of {@code result}. */
  static Answers read(java.sql.ResultSet result) throws SQLException {
    var meta = result.getMetaData();
    var columns = new ArrayList<String>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      columns.add(meta.getColumnLabel(i));
    }
    var rows = new ArrayList<List<Object>>();
    while (result.next()) {
      var row = new ArrayList<Object>(columns.size());
      for (int i = 1; i <= columns.size(); i++) {
        row.add(normalize(result.getObject(i)));
      }
      rows.add(row);
    }
    return new Answers(columns, rows);
  }

  private static Object normalize(Object value) {
    if (value instanceof Number number) {
      return new BigDecimal(number.toString());
    }
    if (value instanceof String text) {
      return text.stripTrailing();
    }
    return value == null ? null : value.toString();
  }

  /**
   * Why {@code other} is not the same answer, or null when it is: the same rows (numbers within
   * 0.01, since averages may be rounded at different points), in the same order or, when the
   * order differs only among ties, as the same multiset.
   */
  String difference(Answers other) {
    if (rows.size() != other.rows.size()) {
      return rows.size() + " rows against " + other.rows.size();
    }
    if (sameRows(rows, other.rows) == null) {
      return null;
    }
    var mine = sorted(rows);
    var theirs = sorted(other.rows);
    return sameRows(mine, theirs);
  }

  private static List<List<Object>> sorted(List<List<Object>> rows) {
    var copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(Answers::sortKey));
    return copy;
  }

  private static String sortKey(List<Object> row) {
    var key = new StringBuilder();
    for (var value : row) {
      // Numbers rounded to whole units so that rows differing within the tolerance sort alike.
      key.append(value instanceof BigDecimal number ? number.setScale(0, java.math.RoundingMode.HALF_UP) : value)
          .append('\u0001');
    }
    return key.toString();
  }

  private static String sameRows(List<List<Object>> left, List<List<Object>> right) {
    for (int r = 0; r < left.size(); r++) {
      var a = left.get(r);
      var b = right.get(r);
      for (int c = 0; c < a.size(); c++) {
        if (!same(a.get(c), b.get(c))) {
          return "row " + (r + 1) + " column " + (c + 1) + ": " + a.get(c) + " against " + b.get(c);
        }
      }
    }
    return null;
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.subtract(y).abs().compareTo(new BigDecimal("0.01")) <= 0;
    }
    return Objects.equals(a, b);
  }
}
