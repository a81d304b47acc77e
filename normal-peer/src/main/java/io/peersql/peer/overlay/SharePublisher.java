package io.peersql.peer.overlay;

import io.peersql.peer.index.ShareSummarizer;
import io.peersql.peer.load.SharedDataChanged;
import io.peersql.peer.overlay.OverlayMembership.OverlayJoined;
import io.peersql.peer.schema.SchemaFollower;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps the overlay's indexes true to what this peer holds: publishes the table, column and
 * range indexes once the peer has joined, and again after every committed load. Publishing runs
 * in the background, one at a time, so that a load's caller never waits for the overlay.
 */
@Component
class SharePublisher implements DisposableBean {

  /** The TPC-H global tables, used until the bootstrap's global schema has arrived. */
  static final List<String> TABLES = List.of("region", "nation", "part", "supplier", "partsupp", "customer",
      "orders", "lineitem");
  /** The range-indexed columns of the TPC-H global schema, likewise. */
  static final Map<String, List<String>> RANGE_INDEXED = Map.of(
      "orders", List.of("o_orderkey", "o_orderdate", "o_custkey"),
      "lineitem", List.of("l_orderkey", "l_shipdate"),
      "customer", List.of("c_custkey"),
      "part", List.of("p_partkey"),
      "supplier", List.of("s_suppkey"),
      "partsupp", List.of("ps_partkey"));

  private static final Logger log = LoggerFactory.getLogger(SharePublisher.class);

  private final OverlayMembership membership;
  private final ShareSummarizer summarizer;
  private final SchemaFollower schema;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "peersql-publish"));

  SharePublisher(OverlayMembership membership, DataSource store, SchemaFollower schema) {
    this.membership = membership;
    this.schema = schema;
    this.summarizer = new ShareSummarizer(store);
  }

  @EventListener
  void joined(OverlayJoined event) {
    worker.execute(this::publish);
  }

  @EventListener
  void dataChanged(SharedDataChanged event) {
    worker.execute(this::publish);
  }

  private void publish() {
    var directory = membership.directory();
    if (directory.isEmpty()) {
      return;
    }
    try {
      var summary = schema.current().isPresent()
          ? summarizer.summarize(schema.tables(), schema.rangeIndexed())
          : summarizer.summarize(TABLES, RANGE_INDEXED);
      directory.get().publish(summary);
      log.info("Published indexes: tables {}, {} range postings", summary.tableRows(),
          summary.ranges().stream().mapToInt(r -> r.buckets().size()).sum());
    } catch (Exception e) {
      log.error("Publishing this peer's indexes failed; lookups may miss its latest data", e);
    }
  }

  @Override
  public void destroy() {
    worker.shutdown();
  }
}
