package io.peersql.query.testing;

import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.stream.Collectors;

/**
 * Loads TPC-H slices into H2 stores the way normal-peer's loader does: DDL with the standard's
 * types (keys BIGINT, money DECIMAL(15,2)), NATION and REGION only in part 1, other tables split
 * with the generator's part/partCount.
 */
public final class TpchStores {

  /** The same primary keys as normal-peer's store, which H2 uses as indexes for joins. */
  private static final java.util.Map<String, String> PRIMARY_KEYS = java.util.Map.of(
      "region", "r_regionkey", "nation", "n_nationkey", "part", "p_partkey", "supplier", "s_suppkey",
      "partsupp", "ps_partkey, ps_suppkey", "customer", "c_custkey", "orders", "o_orderkey",
      "lineitem", "l_orderkey, l_linenumber");

  /**
   * The usual TPC-H foreign-key indexes, in every store alike: without them H2 answers Q13, Q19
   * and Q20 by nested loops that grow with the square of the scale factor.
   */
  private static final java.util.List<String> INDEXES = java.util.List.of(
      "lineitem(l_partkey, l_suppkey)", "lineitem(l_suppkey)", "orders(o_custkey)",
      "partsupp(ps_suppkey)", "customer(c_nationkey)", "supplier(s_nationkey)", "nation(n_regionkey)");

  private TpchStores() {
  }

  /** Creates an in-memory H2 store holding part {@code part} of {@code partCount}. */
  public static String load(String name, double scale, int part, int partCount) throws SQLException {
    var url = "jdbc:h2:mem:" + name + "-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1;QUERY_CACHE_SIZE=0";
    try (var connection = DriverManager.getConnection(url, "sa", "")) {
      connection.setAutoCommit(false);
      for (var table : TpchTable.getTables()) {
        try (var statement = connection.createStatement()) {
          statement.execute(createTable(table));
        }
        boolean reference = table == TpchTable.NATION || table == TpchTable.REGION;
        if (reference && part != 1) {
          continue;
        }
        insert(connection, table, reference ? 1 : part, reference ? 1 : partCount, scale);
        connection.commit();
      }
      try (var statement = connection.createStatement()) {
        for (var index : INDEXES) {
          statement.execute("create index on " + index);
        }
      }
      connection.commit();
    }
    return url;
  }

  private static <E extends TpchEntity> void insert(Connection connection, TpchTable<E> table,
      int part, int partCount, double scale) throws SQLException {
    var columns = table.getColumns();
    var sql = "insert into " + table.getTableName() + " values ("
        + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    try (var insert = connection.prepareStatement(sql)) {
      int rows = 0;
      for (E entity : table.createGenerator(scale, part, partCount)) {
        for (int i = 0; i < columns.size(); i++) {
          bind(insert, i + 1, columns.get(i), entity);
        }
        insert.addBatch();
        if (++rows % 5000 == 0) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
    }
  }

  private static <E extends TpchEntity> void bind(PreparedStatement insert, int index, TpchColumn<E> column,
      E entity) throws SQLException {
    switch (column.getType().getBase()) {
      case IDENTIFIER -> insert.setLong(index, column.getIdentifier(entity));
      case INTEGER -> insert.setInt(index, column.getInteger(entity));
      case DATE -> insert.setDate(index, Date.valueOf(LocalDate.ofEpochDay(column.getDate(entity))));
      case DOUBLE -> insert.setBigDecimal(index,
          BigDecimal.valueOf(column.getDouble(entity)).setScale(2, RoundingMode.HALF_UP));
      case VARCHAR -> insert.setString(index, column.getString(entity));
    }
  }

  private static String createTable(TpchTable<?> table) {
    var columns = table.getColumns().stream()
        .map(column -> column.getColumnName() + " " + switch (column.getType().getBase()) {
          case IDENTIFIER -> "bigint";
          case INTEGER -> "integer";
          case DATE -> "date";
          case DOUBLE -> "decimal(15,2)";
          case VARCHAR -> "varchar(" + column.getType().getPrecision().orElse(255L) + ")";
        } + " not null")
        .collect(Collectors.joining(", "));
    return "create table " + table.getTableName() + " (" + columns
        + ", primary key (" + PRIMARY_KEYS.get(table.getTableName()) + "))";
  }
}
