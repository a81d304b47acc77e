package io.peersql.query.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Reads query answers and compares them across engines (numbers within rounding of AVG). */
public final class Answers {

  private Answers() {
  }

  /** The text of TPC-H query {@code n} from the test resources. */
  public static String tpchQuery(int n) {
    var name = String.format("/tpch/q%02d.sql", n);
    try (var in = Answers.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The text the single-store reference runs for TPC-H query {@code n}: the same query, except
   * where an equivalent form exists under {@code /tpch/reference} because H2 would nested-loop the
   * standard text (Q19: H2 does not pull {@code p_partkey = l_partkey} out of the OR and takes
   * 30 s at SF 0.01).
   */
  public static String referenceQuery(int n) {
    var name = String.format("/tpch/reference/q%02d.sql", n);
    try (var in = Answers.class.getResourceAsStream(name)) {
      return in == null ? tpchQuery(n) : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a query and returns its rows. */
  public static List<List<Object>> run(Connection connection, String sql) throws SQLException {
    try (var statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
      return rows(rows);
    }
  }

  /** Reads all rows of a result set (does not close it). */
  public static List<List<Object>> rows(java.sql.ResultSet rows) throws SQLException {
    int n = rows.getMetaData().getColumnCount();
    var result = new ArrayList<List<Object>>();
    while (rows.next()) {
      var row = new ArrayList<Object>(n);
      for (int i = 1; i <= n; i++) {
        row.add(rows.getObject(i));
      }
      result.add(row);
    }
    return result;
  }

  /**
   * Returns null if the answers agree, else a description of the first difference. Unordered
   * answers are compared after sorting both.
   */
  public static String difference(List<List<Object>> actual, List<List<Object>> expected, boolean ordered) {
    if (actual.size() != expected.size()) {
      return "row count " + actual.size() + " != expected " + expected.size()
          + "\nactual head: " + head(actual) + "\nexpected head: " + head(expected);
    }
    var a = new ArrayList<>(actual);
    var e = new ArrayList<>(expected);
    if (!ordered) {
      Comparator<List<Object>> byText = Comparator.comparing(Object::toString);
      a.sort(byText);
      e.sort(byText);
    }
    for (int r = 0; r < a.size(); r++) {
      var ar = a.get(r);
      var er = e.get(r);
      if (ar.size() != er.size()) {
        return "row " + r + " width " + ar.size() + " != " + er.size();
      }
      for (int c = 0; c < ar.size(); c++) {
        if (!same(ar.get(c), er.get(c))) {
          return "row " + r + " column " + (c + 1) + ": " + ar + " != expected " + er;
        }
      }
    }
    return null;
  }

  private static String head(List<List<Object>> rows) {
    return rows.subList(0, Math.min(3, rows.size())).toString();
  }

  private static boolean same(Object actual, Object expected) {
    if (actual == null || expected == null) {
      return actual == expected;
    }
    if (actual instanceof Number a && expected instanceof Number e) {
      var x = new BigDecimal(a.toString());
      var y = new BigDecimal(e.toString());
      var tolerance = new BigDecimal("0.01").max(y.abs().multiply(new BigDecimal("1e-9")));
      return x.subtract(y).abs().compareTo(tolerance) <= 0;
    }
    return actual.toString().stripTrailing().equals(expected.toString().stripTrailing());
  }
}
