package io.peersql.peer.store;

import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchColumnType;
import io.trino.tpch.TpchTable;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The TPC-H tables in the peer's store: their DDL (with the standard's types: money as
 * DECIMAL(15,2), keys as BIGINT) and primary keys.
 */
final class TpchTables {

  private static final Map<String, List<String>> PRIMARY_KEYS = Map.of(
      "region", List.of("r_regionkey"),
      "nation", List.of("n_nationkey"),
      "part", List.of("p_partkey"),
      "supplier", List.of("s_suppkey"),
      "partsupp", List.of("ps_partkey", "ps_suppkey"),
      "customer", List.of("c_custkey"),
      "orders", List.of("o_orderkey"),
      "lineitem", List.of("l_orderkey", "l_linenumber"));

  /** Index name -> table, then columns: the foreign keys TPC-H queries join on. */
  static final Map<String, List<String>> FOREIGN_KEY_INDEXES = Map.of(
      "lineitem_part_supp", List.of("lineitem", "l_partkey", "l_suppkey"),
      "lineitem_supp", List.of("lineitem", "l_suppkey"),
      "orders_cust", List.of("orders", "o_custkey"),
      "partsupp_supp", List.of("partsupp", "ps_suppkey"),
      "customer_nation", List.of("customer", "c_nationkey"),
      "supplier_nation", List.of("supplier", "s_nationkey"),
      "nation_region", List.of("nation", "n_regionkey"));

  private TpchTables() {
  }

  /** Every TPC-H table, reference tables first. */
  static List<TpchTable<?>> all() {
    return TpchTable.getTables();
  }

  /** Whether the table is a reference table, held whole by one peer instead of split. */
  static boolean isReference(TpchTable<?> table) {
    return table == TpchTable.NATION || table == TpchTable.REGION;
  }

  static String createTable(TpchTable<?> table) {
    var columns = table.getColumns().stream()
        .map(column -> column.getColumnName() + " " + sqlType(column) + " not null")
        .collect(Collectors.joining(", "));
    var key = String.join(", ", PRIMARY_KEYS.get(table.getTableName()));
    return "create table if not exists " + table.getTableName()
        + " (" + columns + ", primary key (" + key + "))";
  }

  static String insert(TpchTable<?> table) {
    var names = table.getColumns().stream().map(TpchColumn::getColumnName).toList();
    return "insert into " + table.getTableName() + " (" + String.join(", ", names) + ") values ("
        + names.stream().map(name -> "?").collect(Collectors.joining(", ")) + ")";
  }

  static String sqlType(TpchColumn<?> column) {
    TpchColumnType type = column.getType();
    return switch (type.getBase()) {
      case IDENTIFIER -> "bigint";
      case INTEGER -> "integer";
      case DATE -> "date";
      case DOUBLE -> "decimal(15,2)";
      case VARCHAR -> "varchar(" + type.getPrecision().orElse(255L) + ")";
    };
  }
}
