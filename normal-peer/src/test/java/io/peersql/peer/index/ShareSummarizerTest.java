package io.peersql.peer.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.peer.PeerProperties.TpchSlice;
import io.peersql.peer.store.TpchSliceLoader;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** A peer's summary of what it shares: tables with rows, and value ranges of indexed columns. */
class ShareSummarizerTest {

  private static JdbcDataSource store() {
    var dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:summary-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    dataSource.setUser("sa");
    return dataSource;
  }

  @Test
  void evenlySpreadKeysGiveOneBucketAndEmptyTablesAreNotAdvertised() throws Exception {
    var store = store();
    new TpchSliceLoader(store).loadIfEmpty(new TpchSlice(true, 0.01, 2, 3));
    var summary = new ShareSummarizer(store).summarize(List.of("orders", "nation", "lineitem"),
        Map.of("orders", List.of("o_orderkey", "o_orderdate")));

    assertThat(summary.tableRows()).containsOnlyKeys("orders", "lineitem");
    assertThat(summary.tableColumns().get("orders")).contains("o_orderkey", "o_totalprice");
    var keys = summary.ranges().stream().filter(r -> r.column().equals("o_orderkey")).findFirst().orElseThrow();
    assertThat(keys.buckets()).hasSize(1);
    var bucket = keys.buckets().getFirst();
    assertThat(bucket.rows()).isEqualTo(summary.tableRows().get("orders"));
    assertThat((Long) bucket.low()).isGreaterThan(1L);
    assertThat(bucket.overlaps((Long) bucket.low(), (Long) bucket.low())).isTrue();
    assertThat(bucket.overlaps(1L, (Long) bucket.low() - 1)).isFalse();
    assertThat(bucket.distinct()).isEqualTo(bucket.rows());
    var dates = summary.ranges().stream().filter(r -> r.column().equals("o_orderdate")).findFirst().orElseThrow();
    assertThat(dates.buckets().getFirst().low()).isInstanceOf(LocalDate.class);
    try (var connection = store.getConnection(); var statement = connection.createStatement();
        var result = statement.executeQuery("select count(distinct o_orderdate) from orders")) {
      result.next();
      assertThat(dates.buckets().stream().mapToLong(RangeBucket::distinct).sum()).isEqualTo(result.getLong(1));
    }
  }

  @Test
  void clusteredKeysKeepFinerBucketsSoAGapCanBeSkipped() throws Exception {
    var store = store();
    try (var connection = store.getConnection(); var statement = connection.createStatement()) {
      statement.execute("create table orders (o_orderkey bigint primary key)");
      statement.execute("insert into orders select x from system_range(1, 400)");
      statement.execute("insert into orders select x from system_range(1000000, 1000400)");
    }
    var summary = new ShareSummarizer(store).summarize(List.of("orders"), Map.of("orders", List.of("o_orderkey")));
    var buckets = summary.ranges().getFirst().buckets();
    assertThat(buckets.size()).isGreaterThan(1);
    assertThat(buckets.stream().anyMatch(b -> b.overlaps(500L, 900_000L))).isFalse();
    assertThat(buckets.stream().anyMatch(b -> b.overlaps(350L, 360L))).isTrue();
    assertThat(buckets).containsExactly(new RangeBucket(1L, 400L, 400, 400),
        new RangeBucket(1_000_000L, 1_000_400L, 401, 401));
  }

  @Test
  void bucketsCountTheirRowsAndDistinctValuesBetweenTheWidestHoles() throws Exception {
    var store = store();
    try (var connection = store.getConnection(); var statement = connection.createStatement()) {
      statement.execute("create table lineitem (l_quantity int, l_comment varchar(20))");
      // Values 1-10 three times each, 500-509 once, 900 twice, and nulls that are not counted.
      statement.execute("insert into lineitem select mod(x, 10) + 1, 'a' from system_range(1, 30)");
      statement.execute("insert into lineitem select 499 + x, 'b' from system_range(1, 10)");
      statement.execute("insert into lineitem values (900, 'c'), (900, 'c'), (null, 'd')");
    }
    var summary = new ShareSummarizer(store).summarize(List.of("lineitem"),
        Map.of("lineitem", List.of("l_quantity", "l_comment")));
    var quantity = summary.ranges().stream().filter(r -> r.column().equals("l_quantity")).findFirst().orElseThrow();
    assertThat(quantity.buckets()).containsExactly(new RangeBucket(1L, 10L, 30, 10),
        new RangeBucket(500L, 509L, 10, 10), new RangeBucket(900L, 900L, 2, 1));
    var comments = summary.ranges().stream().filter(r -> r.column().equals("l_comment")).findFirst().orElseThrow();
    assertThat(comments.buckets()).containsExactly(new RangeBucket("a", "d", 43, 4));
  }
}
