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
    var dates = summary.ranges().stream().filter(r -> r.column().equals("o_orderdate")).findFirst().orElseThrow();
    assertThat(dates.buckets().getFirst().low()).isInstanceOf(LocalDate.class);
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
    assertThat(buckets.stream().mapToLong(RangeBucket::rows).sum()).isEqualTo(801);
  }
}
