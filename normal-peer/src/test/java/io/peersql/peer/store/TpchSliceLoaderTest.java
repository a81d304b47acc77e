package io.peersql.peer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peersql.peer.PeerProperties.TpchSlice;
import java.sql.SQLException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** A peer's store gets its TPC-H slice exactly once, and slices add up to the whole data set. */
class TpchSliceLoaderTest {

  private static JdbcDataSource store(String name) {
    var dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:" + name + "-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    dataSource.setUser("sa");
    return dataSource;
  }

  private static long count(JdbcDataSource store, String table) throws SQLException {
    try (var connection = store.getConnection();
        var rows = connection.createStatement().executeQuery("select count(*) from " + table)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  @Test
  void threeSlicesSumToTheWholeDataSetAndOnlyPartOneHoldsReferenceTables() throws Exception {
    var whole = store("whole");
    new TpchSliceLoader(whole).loadIfEmpty(new TpchSlice(true, 0.01, 1, 1));
    assertThat(count(whole, "orders")).isEqualTo(15_000);
    assertThat(count(whole, "nation")).isEqualTo(25);

    long lineitems = 0;
    long orders = 0;
    for (int part = 1; part <= 3; part++) {
      var slice = store("part" + part);
      var loaded = new TpchSliceLoader(slice).loadIfEmpty(new TpchSlice(true, 0.01, part, 3));
      assertThat(loaded.get("lineitem")).isEqualTo(count(slice, "lineitem"));
      lineitems += count(slice, "lineitem");
      orders += count(slice, "orders");
      assertThat(count(slice, "nation")).isEqualTo(part == 1 ? 25 : 0);
      assertThat(count(slice, "region")).isEqualTo(part == 1 ? 5 : 0);
      try (var connection = slice.getConnection();
          var orphans = connection.createStatement().executeQuery(
              "select count(*) from lineitem where l_orderkey not in (select o_orderkey from orders)")) {
        orphans.next();
        assertThat(orphans.getLong(1)).as("line items stay with their order").isZero();
      }
    }
    assertThat(lineitems).isEqualTo(count(whole, "lineitem"));
    assertThat(orders).isEqualTo(15_000);
  }

  @Test
  void aSecondStartKeepsTheDataAndADifferentSliceIsRefused() throws Exception {
    var store = store("again");
    var loader = new TpchSliceLoader(store);
    var slice = new TpchSlice(true, 0.01, 2, 4);
    assertThat(loader.loadIfEmpty(slice)).isNotEmpty();
    long before = count(store, "lineitem");

    assertThat(loader.loadIfEmpty(slice)).isEmpty();
    assertThat(count(store, "lineitem")).isEqualTo(before);

    assertThatThrownBy(() -> loader.loadIfEmpty(new TpchSlice(true, 0.01, 1, 4)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("holds TPC-H scale 0.01 part 2 of 4");
  }

  @Test
  void foreignKeyIndexesAreCreatedOnceAndUsedForJoins() throws Exception {
    var store = store("indexed");
    var loader = new TpchSliceLoader(store);
    loader.loadIfEmpty(new TpchSlice(true, 0.01, 1, 2));
    loader.createIndexes();
    loader.createIndexes();
    try (var connection = store.getConnection(); var statement = connection.createStatement();
        var plan = statement.executeQuery("explain select count(*) from customer c join orders o"
            + " on o.o_custkey = c.c_custkey where c.c_mktsegment = 'BUILDING'")) {
      plan.next();
      assertThat(plan.getString(1)).containsIgnoringCase("ORDERS_CUST");
    }
  }

  @Test
  void impossibleSlicesAreRefused() {
    assertThatThrownBy(() -> new TpchSlice(true, 0.01, 4, 3))
        .hasMessageContaining("got part 4 of 3");
    assertThatThrownBy(() -> new TpchSlice(true, 0, 1, 1))
        .hasMessageContaining("scale must be at least 0.01");
  }
}
