package io.peersql.peer.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peersql.peer.store.TpchSliceLoader;
import io.trino.tpch.LineItem;
import io.trino.tpch.Order;
import io.trino.tpch.TpchTable;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads a company's production data from a real PostgreSQL through a mapping that renames tables
 * and columns and converts types, into peers on H2 and on PostgreSQL.
 */
class MappingLoaderTest {

  private static final double SCALE = 0.01;
  private static EmbeddedPostgres postgres;
  private static String sourceUrl;

  @BeforeAll
  static void startSource() throws Exception {
    postgres = EmbeddedPostgres.start();
    try (var connection = postgres.getPostgresDatabase().getConnection(); var statement = connection.createStatement()) {
      statement.execute("create database erp");
      statement.execute("create database peer");
    }
    sourceUrl = postgres.getJdbcUrl("postgres", "erp");
    try (var erp = postgres.getDatabase("postgres", "erp").getConnection()) {
      fillErp(erp);
    }
  }

  @AfterAll
  static void stopSource() throws Exception {
    postgres.close();
  }

  /** The company's own schema: other names, money in cents, dates as text, a draft status. */
  private static void fillErp(Connection erp) throws SQLException {
    try (var statement = erp.createStatement()) {
      statement.execute("create table sales_order (id bigint primary key, customer integer, status char(1), "
          + "total_cents bigint, placed text, priority varchar(20), clerk varchar(20), ship_priority integer, "
          + "note text, updated_at timestamp not null default now())");
      statement.execute("create table sales_line (order_id bigint, line_no integer, part bigint, supplier bigint, "
          + "qty numeric(12,2), price double precision, discount double precision, tax double precision, "
          + "return_flag text, line_status text, shipped date, committed date, received date, "
          + "instructions text, mode text, note text, primary key (order_id, line_no))");
    }
    erp.setAutoCommit(false);
    try (var insert = erp.prepareStatement("insert into sales_order values (?,?,?,?,?,?,?,?,?, timestamp '2026-01-01 00:00:00')")) {
      for (Order order : TpchTable.ORDERS.createGenerator(SCALE, 1, 1)) {
        insert.setLong(1, order.orderKey());
        insert.setInt(2, (int) order.customerKey());
        insert.setString(3, String.valueOf(order.orderStatus()));
        insert.setLong(4, order.totalPriceInCents());
        insert.setString(5, LocalDate.ofEpochDay(order.orderDate()).toString());
        insert.setString(6, order.orderPriority());
        insert.setString(7, order.clerk());
        insert.setInt(8, order.shipPriority());
        insert.setString(9, order.comment());
        insert.addBatch();
      }
      insert.executeBatch();
    }
    try (var insert = erp.prepareStatement("insert into sales_line values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      for (LineItem line : TpchTable.LINE_ITEM.createGenerator(SCALE, 1, 1)) {
        insert.setLong(1, line.orderKey());
        insert.setInt(2, line.lineNumber());
        insert.setLong(3, line.partKey());
        insert.setLong(4, line.supplierKey());
        insert.setBigDecimal(5, BigDecimal.valueOf(line.quantity()));
        insert.setDouble(6, line.extendedPrice());
        insert.setDouble(7, line.discount());
        insert.setDouble(8, line.tax());
        insert.setString(9, line.returnFlag());
        insert.setString(10, line.status());
        insert.setObject(11, LocalDate.ofEpochDay(line.shipDate()));
        insert.setObject(12, LocalDate.ofEpochDay(line.commitDate()));
        insert.setObject(13, LocalDate.ofEpochDay(line.receiptDate()));
        insert.setString(14, line.shipInstructions());
        insert.setString(15, line.shipMode());
        insert.setString(16, line.comment());
        insert.addBatch();
      }
      insert.executeBatch();
    }
    erp.commit();
  }

  private static SchemaMapping mapping(String orderFilter) {
    return SchemaMapping.parse("""
        source: { jdbcUrl: "%s", user: postgres, password: "" }
        tables:
          - target: orders
            from: sales_order
            where: "%s"
            watermark: updated_at
            columns:
              o_orderkey: id
              o_custkey: customer
              o_orderstatus: status
              o_totalprice: "total_cents / 100.0"
              o_orderdate: placed
              o_orderpriority: priority
              o_clerk: clerk
              o_shippriority: ship_priority
              o_comment: note
          - target: lineitem
            from: "sales_line join sales_order on sales_order.id = sales_line.order_id"
            where: "%s"
            watermark: sales_order.updated_at
            columns:
              l_orderkey: order_id
              l_linenumber: line_no
              l_partkey: part
              l_suppkey: supplier
              l_quantity: qty
              l_extendedprice: price
              l_discount: discount
              l_tax: tax
              l_returnflag: return_flag
              l_linestatus: line_status
              l_shipdate: shipped
              l_commitdate: committed
              l_receiptdate: received
              l_shipinstruct: instructions
              l_shipmode: mode
              l_comment: sales_line.note
        """.formatted(sourceUrl, orderFilter, orderFilter));
  }

  private static DataSource h2Peer() throws SQLException {
    var dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:peer-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    dataSource.setUser("sa");
    new TpchSliceLoader(dataSource).createTables();
    return dataSource;
  }

  private static DataSource postgresPeer() throws SQLException {
    var dataSource = postgres.getDatabase("postgres", "peer");
    try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
      statement.execute("drop table if exists orders, lineitem, peersql_load_state");
    }
    new TpchSliceLoader(dataSource).createTables();
    return dataSource;
  }

  /** Every order as the TPC-H generator defines it, in the store's column order. */
  private static Map<Long, List<Object>> expectedOrders() {
    var expected = new HashMap<Long, List<Object>>();
    for (Order order : TpchTable.ORDERS.createGenerator(SCALE, 1, 1)) {
      expected.put(order.orderKey(), List.of(order.orderKey(), order.customerKey(), String.valueOf(order.orderStatus()),
          BigDecimal.valueOf(order.totalPriceInCents(), 2), LocalDate.ofEpochDay(order.orderDate()),
          order.orderPriority(), order.clerk(), (long) order.shipPriority(), order.comment()));
    }
    return expected;
  }

  private static Map<Long, List<Object>> storedOrders(DataSource store) throws SQLException {
    var stored = new HashMap<Long, List<Object>>();
    try (var connection = store.getConnection(); var rows = connection.createStatement().executeQuery(
        "select o_orderkey, o_custkey, o_orderstatus, o_totalprice, o_orderdate, o_orderpriority, o_clerk, "
            + "o_shippriority, o_comment from orders")) {
      while (rows.next()) {
        stored.put(rows.getLong(1), List.of(rows.getLong(1), rows.getLong(2), rows.getString(3), rows.getBigDecimal(4),
            rows.getObject(5, LocalDate.class), rows.getString(6), rows.getString(7), rows.getLong(8), rows.getString(9)));
      }
    }
    return stored;
  }

  private static long count(DataSource store, String sql) throws SQLException {
    try (var connection = store.getConnection(); var rows = connection.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static String lineitemDigest(DataSource store) throws SQLException {
    return count(store, "select count(*) from lineitem") + "/"
        + sum(store, "select sum(l_quantity * 100 + l_linenumber + l_orderkey) from lineitem") + "/"
        + sum(store, "select sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) from lineitem") + "/"
        + count(store, "select count(distinct l_shipmode || l_shipinstruct || l_comment || l_returnflag) from lineitem");
  }

  private static BigDecimal sum(DataSource store, String sql) throws SQLException {
    try (var connection = store.getConnection(); var rows = connection.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getBigDecimal(1).setScale(2, java.math.RoundingMode.HALF_UP);
    }
  }

  @Test
  void loadsRenamedAndConvertedTpchDataIntoH2AndPostgresPeersRowForRow() throws Exception {
    var reference = new JdbcDataSource();
    reference.setURL("jdbc:h2:mem:reference-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    reference.setUser("sa");
    new TpchSliceLoader(reference).loadIfEmpty(new io.peersql.peer.PeerProperties.TpchSlice(true, SCALE, 1, 1));

    for (var peer : List.of(h2Peer(), postgresPeer())) {
      var report = new MappingLoader(peer).load(mapping("true"), LoadMode.FULL, p -> { }, () -> false);
      assertThat(report.rows()).containsEntry("orders", 15_000L).containsEntry("lineitem", 60_175L);
      assertThat(storedOrders(peer)).isEqualTo(expectedOrders());
      assertThat(lineitemDigest(peer)).isEqualTo(lineitemDigest(reference));
    }
  }

  @Test
  void incrementalLoadAddsAndReplacesOnlyChangedRows() throws Exception {
    var peer = h2Peer();
    var loader = new MappingLoader(peer);
    loader.load(mapping("id < 1000"), LoadMode.FULL, p -> { }, () -> false);
    long before = count(peer, "select count(*) from orders");

    try (var erp = postgres.getDatabase("postgres", "erp").getConnection(); var statement = erp.createStatement()) {
      statement.execute("create temporary table saved as select * from sales_order where id = 7");
      statement.execute("update sales_order set note = 'changed', updated_at = timestamp '2026-02-01 00:00:00' where id = 7");
      try {
        var report = loader.load(mapping("id < 1000"), LoadMode.INCREMENTAL, p -> { }, () -> false);
        assertThat(report.rows()).containsEntry("orders", 1L)
            .containsEntry("lineitem", count(peer, "select count(*) from lineitem where l_orderkey = 7"));
      } finally {
        statement.execute("update sales_order set note = saved.note, updated_at = saved.updated_at from saved "
            + "where sales_order.id = saved.id");
      }
    }
    assertThat(count(peer, "select count(*) from orders")).isEqualTo(before);
    assertThat(count(peer, "select count(*) from orders where o_orderkey = 7 and o_comment = 'changed'")).isEqualTo(1);
    var nothingNew = loader.load(mapping("id < 1000"), LoadMode.INCREMENTAL, p -> { }, () -> false);
    assertThat(nothingNew.rows()).containsEntry("orders", 0L);
  }

  @Test
  void aBadRowStopsTheLoadWithItsPositionAndKeepsTheOldData() throws Exception {
    var peer = h2Peer();
    var loader = new MappingLoader(peer);
    loader.load(mapping("id < 100"), LoadMode.FULL, p -> { }, () -> false);
    long before = count(peer, "select count(*) from orders");

    var broken = SchemaMapping.parse(mapping("true").toJson().replace("\"placed\"", "\"case when id = 4000 then 'soon' else placed end\""));
    assertThatThrownBy(() -> loader.load(broken, LoadMode.FULL, p -> { }, () -> false))
        .isInstanceOf(LoadFailedException.class)
        .hasMessageContaining("orders")
        .hasMessageContaining("source row ")
        .hasMessageContaining("O_ORDERDATE")
        .hasMessageContaining("'soon' is not a date")
        .hasMessageContaining("previous data is unchanged");
    assertThat(count(peer, "select count(*) from orders")).isEqualTo(before);
    assertThat(count(peer, "select count(*) from lineitem")).isPositive();
  }

  @Test
  void readersSeeTheOldDataWhileALoadRunsAndAfterItIsStoppedMidway() throws Exception {
    var peer = h2Peer();
    var loader = new MappingLoader(peer);
    loader.load(mapping("id < 100"), LoadMode.FULL, p -> { }, () -> false);
    long before = count(peer, "select count(*) from lineitem");

    // The reader counts once the load is midway through lineitem; then the load is cancelled.
    var midway = new CountDownLatch(1);
    var readDuringLoad = new ArrayList<Long>();
    var reader = new Thread(() -> {
      try {
        midway.await();
        readDuringLoad.add(count(peer, "select count(*) from lineitem"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    reader.start();
    assertThatThrownBy(() -> loader.load(mapping("true"), LoadMode.FULL, progress -> {
      if (progress.table().equals("lineitem") && progress.rowsDone() < 60_175) {
        midway.countDown();
      }
    }, () -> {
      if (midway.getCount() > 0) {
        return false;
      }
      try {
        reader.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return true;
    })).isInstanceOf(LoadFailedException.class).hasMessageContaining("cancelled");
    assertThat(readDuringLoad).containsExactly(before);
    assertThat(count(peer, "select count(*) from lineitem")).isEqualTo(before);
  }

  @Test
  void csvFilesLoadThroughTheMappingWithQuotedFields(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("regions.csv"), """
        code,label,remark
        0,AFRICA,"plain"
        1,"AMERICA","with ""quotes"", and a comma"
        2,ASIA,"two
        lines"
        """);
    var peer = h2Peer();
    var mapping = SchemaMapping.parse("""
        {"source": {"csvDirectory": "%s"},
         "tables": [{"target": "region", "from": "regions.csv",
                     "columns": {"r_regionkey": "code", "r_name": "label", "r_comment": "remark"}}]}
        """.formatted(dir.toString().replace("\\", "\\\\")));
    var report = new MappingLoader(peer).load(mapping, LoadMode.FULL, p -> { }, () -> false);
    assertThat(report.rows()).containsEntry("region", 3L);
    try (var connection = peer.getConnection(); var rows = connection.createStatement()
        .executeQuery("select r_comment from region where r_regionkey = 1")) {
      rows.next();
      assertThat(rows.getString(1)).isEqualTo("with \"quotes\", and a comma");
    }

    Files.writeString(dir.resolve("regions.csv"), "code,label,remark\n0,AFRICA,x\nseven,EUROPE,y\n");
    assertThatThrownBy(() -> new MappingLoader(peer).load(mapping, LoadMode.FULL, p -> { }, () -> false))
        .hasMessageContaining("line 3 of regions.csv")
        .hasMessageContaining("'seven' is not a number");
    assertThat(count(peer, "select count(*) from region")).isEqualTo(3);
  }

  @Test
  void mappingsThatCannotWorkAreRefusedWithEveryProblem() {
    assertThatThrownBy(() -> SchemaMapping.parse("""
        {"source": {"jdbcUrl": "jdbc:h2:mem:x", "csvDirectory": "/tmp"},
         "tables": [{"target": "orders", "columns": {}}]}"""))
        .isInstanceOf(InvalidMappingException.class)
        .hasMessageContaining("exactly one of jdbcUrl or csvDirectory")
        .hasMessageContaining("'from'")
        .hasMessageContaining("'columns' is empty");
    assertThatThrownBy(() -> SchemaMapping.parse("{\"source\": "))
        .isInstanceOf(InvalidMappingException.class)
        .hasMessageContaining("cannot read the mapping");
  }
}
