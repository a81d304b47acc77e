package io.peersql.query.schema;

import static io.peersql.query.schema.ColumnDef.decimal;
import static io.peersql.query.schema.ColumnDef.of;
import static io.peersql.query.schema.ColumnDef.varchar;
import static io.peersql.query.schema.ColumnType.BIGINT;
import static io.peersql.query.schema.ColumnType.DATE;
import static io.peersql.query.schema.ColumnType.INTEGER;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The TPC-H global schema as the peers store it (see normal-peer's {@code TpchTables}): keys
 * BIGINT, money DECIMAL(15,2). Orders and their line items are placed together by order key, and
 * parts with their part-supplier rows by part key, because the TPC-H generator splits them that way
 * ({@code createGenerator(sf, part, partCount)}). Keys and dates used by the usual selective
 * queries are range-indexed.
 */
public final class TpchSchema {

  private TpchSchema() {
  }

  /** Creates the TPC-H global schema named {@code PEERSQL}. */
  public static GlobalSchema create() {
    var order = "order";
    var part = "part";
    return new GlobalSchema("PEERSQL", List.of(
        table("region", List.of(of("r_regionkey", BIGINT), varchar("r_name", 25), varchar("r_comment", 152)),
            List.of("r_regionkey"), Set.of("r_regionkey"), null, null),
        table("nation", List.of(of("n_nationkey", BIGINT), varchar("n_name", 25), of("n_regionkey", BIGINT),
                varchar("n_comment", 152)),
            List.of("n_nationkey"), Set.of("n_nationkey"), null, null),
        table("part", List.of(of("p_partkey", BIGINT), varchar("p_name", 55), varchar("p_mfgr", 25),
                varchar("p_brand", 10), varchar("p_type", 25), of("p_size", INTEGER), varchar("p_container", 10),
                decimal("p_retailprice", 15, 2), varchar("p_comment", 23)),
            List.of("p_partkey"), Set.of("p_partkey"), part, "p_partkey"),
        table("supplier", List.of(of("s_suppkey", BIGINT), varchar("s_name", 25), varchar("s_address", 40),
                of("s_nationkey", BIGINT), varchar("s_phone", 15), decimal("s_acctbal", 15, 2),
                varchar("s_comment", 101)),
            List.of("s_suppkey"), Set.of("s_suppkey"), null, null),
        table("partsupp", List.of(of("ps_partkey", BIGINT), of("ps_suppkey", BIGINT), of("ps_availqty", INTEGER),
                decimal("ps_supplycost", 15, 2), varchar("ps_comment", 199)),
            List.of("ps_partkey", "ps_suppkey"), Set.of("ps_partkey"), part, "ps_partkey"),
        table("customer", List.of(of("c_custkey", BIGINT), varchar("c_name", 25), varchar("c_address", 40),
                of("c_nationkey", BIGINT), varchar("c_phone", 15), decimal("c_acctbal", 15, 2),
                varchar("c_mktsegment", 10), varchar("c_comment", 117)),
            List.of("c_custkey"), Set.of("c_custkey"), null, null),
        table("orders", List.of(of("o_orderkey", BIGINT), of("o_custkey", BIGINT), varchar("o_orderstatus", 1),
                decimal("o_totalprice", 15, 2), of("o_orderdate", DATE), varchar("o_orderpriority", 15),
                varchar("o_clerk", 15), of("o_shippriority", INTEGER), varchar("o_comment", 79)),
            List.of("o_orderkey"), Set.of("o_orderkey", "o_orderdate"), order, "o_orderkey"),
        table("lineitem", List.of(of("l_orderkey", BIGINT), of("l_partkey", BIGINT), of("l_suppkey", BIGINT),
                of("l_linenumber", INTEGER), decimal("l_quantity", 15, 2), decimal("l_extendedprice", 15, 2),
                decimal("l_discount", 15, 2), decimal("l_tax", 15, 2), varchar("l_returnflag", 1),
                varchar("l_linestatus", 1), of("l_shipdate", DATE), of("l_commitdate", DATE),
                of("l_receiptdate", DATE), varchar("l_shipinstruct", 25), varchar("l_shipmode", 10),
                varchar("l_comment", 44)),
            List.of("l_orderkey", "l_linenumber"), Set.of("l_orderkey", "l_shipdate"), order, "l_orderkey")));
  }

  private static TableDef table(String name, List<ColumnDef> columns, List<String> key,
      Set<String> rangeIndexed, String group, String groupColumn) {
    return new TableDef(name, columns, key, rangeIndexed,
        group == null ? Optional.empty() : Optional.of(new CoLocation(group, groupColumn)));
  }
}
