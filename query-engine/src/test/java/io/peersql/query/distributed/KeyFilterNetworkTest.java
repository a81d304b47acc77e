package io.peersql.query.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.peersql.query.peer.AccessPolicy;
import io.peersql.query.peer.PeerQueryService;
import io.peersql.query.peer.SubQuery;
import io.peersql.query.testing.Answers;
import io.peersql.query.testing.TestPeer;
import io.peersql.query.testing.TpchNetwork;
import io.peersql.query.wire.RowStreamReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Semi-join reduction with more keys than an IN list takes: the keys travel as a Bloom filter,
 * the owning peers drop the rows whose key it excludes, and the answer stays exact. The IN-list
 * limit is lowered to 50 keys so that SF 0.01 has enough (about 300 customers of a segment);
 * in production it is 10,000.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyFilterNetworkTest {

  private TpchNetwork network;

  @BeforeAll
  void start() throws Exception {
    network = TpchNetwork.start(0.01, 3, ExchangeSettings.DEFAULT.withInListKeys(50));
  }

  @AfterAll
  void stop() {
    network.close();
  }

  @Test
  void manyKeysTravelAsABloomFilterThatThePeersApply() throws Exception {
    // TPC-H Q3's shape: customers of one segment, their orders and line items.
    var sql = "select l_orderkey, sum(l_extendedprice * (1 - l_discount)) as revenue, o_orderdate "
        + "from customer, orders, lineitem where c_mktsegment = 'BUILDING' and c_custkey = o_custkey "
        + "and l_orderkey = o_orderkey and o_orderdate < date '1995-03-15' "
        + "and l_shipdate > date '1995-03-15' group by l_orderkey, o_orderdate";
    try (var connection = network.connect(); var reference = network.reference()) {
      var rows = Answers.run(connection, sql);
      assertThat(rows).hasSizeGreaterThan(50);
      assertThat(Answers.difference(rows, Answers.run(reference, sql), false)).isNull();
    }
    var joined = network.peers().stream().flatMap(p -> p.received().stream())
        .filter(q -> q.tables().size() == 2).toList();
    assertThat(joined).hasSize(3).allSatisfy(q -> {
      assertThat(q.sql()).contains("JOIN").doesNotContain(" IN (");
      assertThat(q.keyFilter()).isNotNull();
    });
    // Each peer returns fewer rows with the filter than without, over HTTP and in-process.
    for (var peer : network.peers()) {
      var withFilter = peer.received().stream().filter(q -> q.keyFilter() != null).findFirst().orElseThrow();
      var without = new SubQuery(withFilter.queryId(), withFilter.sql(), withFilter.parameters(),
          withFilter.tables(), withFilter.requester());
      long all = countInProcess(peer, without);
      long kept = countInProcess(peer, withFilter);
      assertThat(kept).as("rows %s keeps of %s", peer.id(), all).isPositive().isLessThan(all / 2);
      assertThat(countOverHttp(peer, withFilter)).isEqualTo(kept);
    }
  }

  private static long countInProcess(TestPeer peer, SubQuery subQuery) throws Exception {
    var service = new PeerQueryService(peer.id(), peer.store()::connect, AccessPolicy.ALLOW_ALL);
    long n = 0;
    try (var rows = service.open(subQuery)) {
      while (rows.next() != null) {
        n++;
      }
    }
    return n;
  }

  private static long countOverHttp(TestPeer peer, SubQuery subQuery) throws Exception {
    var service = new PeerQueryService(peer.id(), peer.store()::connect, AccessPolicy.ALLOW_ALL);
    var out = new ByteArrayOutputStream();
    service.execute(new ByteArrayInputStream(new ObjectMapper().writeValueAsBytes(subQuery)), out);
    var reader = new RowStreamReader(new ByteArrayInputStream(out.toByteArray()));
    reader.columns();
    long n = 0;
    while (reader.next() != null) {
      n++;
    }
    return n;
  }
}
