package io.peersql.peer.load;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A global table as it exists in the peer's store: its columns with their JDBC types, and its
 * primary key. Names are kept as the store reports them.
 *
 * @param name the table name in the store
 * @param columns column name (lower case) to its type
 * @param primaryKey primary-key columns (lower case), in key order
 */
record TargetTable(String name, Map<String, ColumnType> columns, List<String> primaryKey) {

  /**
   * A column's type in the store.
   *
   * @param name the column name as the store spells it
   * @param sqlType {@link java.sql.Types} constant
   * @param typeName the store's type name
   * @param size length for character types, precision for numbers
   * @param scale digits after the decimal point
   * @param nullable whether the column accepts NULL
   */
  record ColumnType(String name, int sqlType, String typeName, int size, int scale, boolean nullable) {
  }

  /** Reads the table's description from the store, or fails with a clear message. */
  static TargetTable describe(Connection connection, String table) throws SQLException {
    var meta = connection.getMetaData();
    var schema = connection.getSchema();
    String stored = null;
    for (var candidate : List.of(table, table.toUpperCase(), table.toLowerCase())) {
      try (var rows = meta.getTables(null, schema, candidate, new String[] {"TABLE", "BASE TABLE"})) {
        if (rows.next()) {
          stored = rows.getString("TABLE_NAME");
          break;
        }
      }
    }
    if (stored == null) {
      throw new LoadFailedException("The global table '" + table + "' does not exist in this peer's store");
    }
    var columns = new LinkedHashMap<String, ColumnType>();
    try (var rows = meta.getColumns(null, schema, stored, null)) {
      while (rows.next()) {
        var name = rows.getString("COLUMN_NAME");
        columns.put(name.toLowerCase(), new ColumnType(name, rows.getInt("DATA_TYPE"), rows.getString("TYPE_NAME"),
            rows.getInt("COLUMN_SIZE"), rows.getInt("DECIMAL_DIGITS"),
            rows.getInt("NULLABLE") != java.sql.DatabaseMetaData.columnNoNulls));
      }
    }
    var key = new ArrayList<String[]>();
    try (var rows = meta.getPrimaryKeys(null, schema, stored)) {
      while (rows.next()) {
        key.add(new String[] {rows.getString("COLUMN_NAME").toLowerCase(), Integer.toString(rows.getShort("KEY_SEQ"))});
      }
    }
    key.sort((a, b) -> Integer.compare(Integer.parseInt(a[1]), Integer.parseInt(b[1])));
    return new TargetTable(stored, columns, key.stream().map(k -> k[0]).toList());
  }

  /** The type of a mapped column, or a clear failure if the table has no such column. */
  ColumnType column(String column) {
    var type = columns.get(column.toLowerCase());
    if (type == null) {
      throw new LoadFailedException("The global table '" + name + "' has no column '" + column
          + "'; its columns are " + columns.keySet());
    }
    return type;
  }
}
