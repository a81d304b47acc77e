package io.peersql.peer.load;

import io.peersql.peer.load.SchemaMapping.TableMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;

/**
 * Rows of a mapped table read from the company's production database over JDBC. The mapping's
 * column expressions, filter and watermark condition run in the source database, in one SELECT.
 */
final class JdbcRowSource implements RowSource {

  private final Connection connection;
  private final PreparedStatement select;
  private final ResultSet rows;
  private final int width;
  private final boolean watermarked;
  private final long expected;
  private long row;
  private Object watermark;

  private JdbcRowSource(Connection connection, PreparedStatement select, ResultSet rows, int width,
      boolean watermarked, long expected) {
    this.connection = connection;
    this.select = select;
    this.rows = rows;
    this.width = width;
    this.watermarked = watermarked;
    this.expected = expected;
  }

  /**
   * Opens the rows of {@code table}; with {@code after} non-null only rows whose watermark is
   * greater, in watermark order.
   */
  static JdbcRowSource open(Connection connection, TableMapping table, Object after) throws SQLException {
    var columns = new ArrayList<String>();
    table.columns().values().forEach(columns::add);
    if (table.watermark() != null) {
      columns.add(table.watermark());
    }
    var conditions = new ArrayList<String>();
    if (table.where() != null) {
      conditions.add("(" + table.where() + ")");
    }
    if (after != null) {
      conditions.add("(" + table.watermark() + ") > ?");
    }
    var from = " from " + table.from() + (conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions));
    long expected = count(connection, from, after);
    var sql = "select " + String.join(", ", columns) + from
        + (table.watermark() != null ? " order by " + table.watermark() : "");
    // Streaming needs a transaction on PostgreSQL (cursor) and a fetch size everywhere.
    connection.setAutoCommit(false);
    connection.setReadOnly(true);
    var select = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    select.setFetchSize(5_000);
    if (after != null) {
      select.setObject(1, after);
    }
    return new JdbcRowSource(connection, select, select.executeQuery(), table.columns().size(),
        table.watermark() != null, expected);
  }

  private static long count(Connection connection, String from, Object after) throws SQLException {
    try (var count = connection.prepareStatement("select count(*)" + from)) {
      if (after != null) {
        count.setObject(1, after);
      }
      try (var result = count.executeQuery()) {
        return result.next() ? result.getLong(1) : -1;
      }
    }
  }

  @Override
  public Object[] next() throws SQLException {
    if (!rows.next()) {
      return null;
    }
    row++;
    var values = new Object[width];
    for (int i = 0; i < width; i++) {
      values[i] = rows.getObject(i + 1);
    }
    if (watermarked) {
      watermark = rows.getObject(width + 1);
    }
    return values;
  }

  @Override
  public String position() {
    return "source row " + row;
  }

  @Override
  public long expectedRows() {
    return expected;
  }

  @Override
  public Object watermark() {
    return watermark;
  }

  @Override
  public void close() throws SQLException {
    try (connection; select; rows) {
      connection.rollback();
    }
  }
}
