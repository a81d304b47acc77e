package io.peersql.query.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peersql.query.peer.AccessDecision;
import io.peersql.query.peer.AccessPolicy;
import io.peersql.query.peer.SubQuery;
import io.peersql.query.testing.Answers;
import io.peersql.query.testing.TpchNetwork;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What the distributed plan sends to which peers: pruning, pushdown, identity, access hook. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributedPlanTest {

  private TpchNetwork network;

  @BeforeAll
  void start() throws Exception {
    network = TpchNetwork.start(0.01, 3);
  }

  @AfterAll
  void stop() {
    network.close();
  }

  @BeforeEach
  void reset() {
    network.peers().forEach(peer -> {
      peer.received().clear();
      peer.policy(AccessPolicy.ALLOW_ALL);
    });
  }

  /**
   * A query that failed at one peer cancels the others, but their sub-queries may still be on the
   * wire: wait until no peer receives anything more, so they are not counted by the next test.
   */
  @AfterEach
  void quiesce() throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
    int before = -1;
    int now = subQueries().size();
    while (now != before && System.nanoTime() < deadline) {
      before = now;
      Thread.sleep(300);
      now = subQueries().size();
    }
    reset();
  }

  private List<SubQuery> subQueries() {
    return network.peers().stream().flatMap(p -> p.received().stream()).toList();
  }

  private int peersContacted() {
    return (int) network.peers().stream().filter(p -> !p.received().isEmpty()).count();
  }

  /** The same rows (in any order) from PeerSQL and from the reference holding all data. */
  private void assertAnswersMatchTheReference(String sql) throws SQLException {
    try (var peersql = network.connect(); var reference = network.reference()) {
      assertThat(Answers.difference(Answers.run(peersql, sql), Answers.run(reference, sql), false)).isNull();
    }
  }

  /** The plan cache of a connection's distributed schema. */
  private static PlanCache plans(java.sql.Connection connection) throws SQLException {
    return connection.unwrap(org.apache.calcite.jdbc.CalciteConnection.class).getRootSchema()
        .getSubSchema(connection.getSchema()).unwrap(DistributedSchema.class).plans();
  }

  private String explain(String sql) throws SQLException {
    try (var connection = network.connect()) {
      return Answers.run(connection, "explain plan for " + sql).toString();
    }
  }

  @Test
  void pointQueryOnOrderKeyContactsExactlyOnePeer() throws Exception {
    try (var connection = network.connect()) {
      var rows = Answers.run(connection, "select o_custkey, o_totalprice from orders where o_orderkey = 32");
      assertThat(rows).hasSize(1);
    }
    assertThat(peersContacted()).isEqualTo(1);
    assertThat(subQueries()).hasSize(1);
    assertThat(subQueries().get(0).sql()).contains("WHERE").contains("32");
  }

  @Test
  void aRangeBoundComputedFromAParameterStillPrunesPeers() throws Exception {
    try (var connection = network.connect();
        var statement = connection.prepareStatement(
            "select count(*) from lineitem where l_orderkey between ? and ? + 3")) {
      // Order 1 is held by the first peer; the lower bound alone would let every peer qualify.
      statement.setLong(1, 1);
      statement.setLong(2, 1);
      try (var rows = statement.executeQuery()) {
        rows.next();
        assertThat(rows.getLong(1)).isPositive();
      }
    }
    assertThat(peersContacted()).as("%s", subQueries()).isEqualTo(1);
  }

  @Test
  void pointQueryWithAParameterContactsExactlyOnePeer() throws Exception {
    try (var connection = network.connect();
        var statement = connection.prepareStatement("select count(*) from lineitem where l_orderkey = ?")) {
      statement.setLong(1, 59_970);
      try (var rows = statement.executeQuery()) {
        rows.next();
        assertThat(rows.getLong(1)).isPositive();
      }
    }
    assertThat(peersContacted()).as("%s", subQueries()).isEqualTo(1);
  }

  @Test
  void preparedStatementsSendTheirSqlOnceWrittenAndTheParameterValues() throws Exception {
    var answers = new java.util.ArrayList<List<List<Object>>>();
    try (var connection = network.connect();
        var statement = connection.prepareStatement(
            "select o_orderkey, o_orderdate, o_orderpriority from orders"
                + " where o_orderkey = ? and o_orderdate >= ? and o_orderpriority <> ?")) {
      for (long key : new long[] {32, 59_971}) {
        statement.setLong(1, key);
        statement.setDate(2, java.sql.Date.valueOf("1990-01-01"));
        statement.setString(3, "no such priority");
        try (var rows = statement.executeQuery()) {
          answers.add(Answers.rows(rows));
        }
      }
    }
    assertThat(answers.get(0)).hasSize(1);
    assertThat(answers.get(0).get(0).get(0)).isEqualTo(32L);
    assertThat(answers.get(1)).hasSize(1);
    assertThat(answers.get(1).get(0).get(0)).isEqualTo(59_971L);
    var sent = subQueries();
    assertThat(sent).hasSize(2);
    // The same text for both executions (the stores parse it once), without a derived table,
    // and the values beside it.
    assertThat(sent.get(0).sql()).isEqualTo(sent.get(1).sql()).contains("?")
        .doesNotContain("32").doesNotContain("SELECT *");
    assertThat(sent).extracting(q -> q.parameters().get(0).value()).containsExactlyInAnyOrder("32", "59971");
    assertThat(sent.get(0).parameters()).extracting(SubQuery.Parameter::value)
        .contains("1990-01-01", "no such priority");
  }

  @Test
  void explainShowsTheSubQueryAndTheOnePeerOfAPointQuery() throws Exception {
    var plan = explain("select * from orders where o_orderkey = 32");
    assertThat(plan).contains("PeerQuery").contains("peers=[[peer1]]").doesNotContain("peer2");
    assertThat(explain("select * from orders")).contains("peers=[[peer1, peer2, peer3]]");
  }

  /** The SQL of the (first) peer query scanning {@code table} in an EXPLAIN output. */
  private static String subQuerySql(String plan, String table) {
    var matcher = java.util.regex.Pattern.compile("EnumerablePeerQuery\\(stage=\\[\\w+\\], sql=\\[(.*?)\\], scan=\\["
        + table + "\\]", java.util.regex.Pattern.DOTALL).matcher(plan);
    assertThat(matcher.find()).as(plan).isTrue();
    return matcher.group(1);
  }

  /** The row count the planner estimates for the (single) peer query of a plan. */
  private double estimatedPeerRows(String sql) throws SQLException {
    String plan;
    try (var connection = network.connect()) {
      plan = Answers.run(connection, "explain plan including all attributes for " + sql).toString();
    }
    var matcher = java.util.regex.Pattern.compile("EnumerablePeerQuery\\(.*?\\): rowcount = ([0-9.Ee+]+)",
        java.util.regex.Pattern.DOTALL).matcher(plan);
    assertThat(matcher.find()).as(plan).isTrue();
    return Double.parseDouble(matcher.group(1));
  }

  @Test
  void rangeAndEqualityFiltersOnIndexedColumnsAreEstimatedFromThePeersHistograms() throws Exception {
    // Orders keys 1-100 hold 25 orders (TPC-H uses 8 keys of every 32); Calcite alone guesses half the table.
    assertThat(estimatedPeerRows("select o_custkey from orders where o_orderkey between 1 and 100"))
        .isBetween(15.0, 40.0);
    // One day of about 2,400 order dates: about 15,000 / 2,400 orders.
    assertThat(estimatedPeerRows("select o_custkey from orders where o_orderdate = date '1995-03-15'"))
        .isBetween(3.0, 15.0);
    // A year of about 6.6 years of dates: about 15 % of the orders, not Calcite's 25 % for a range pair.
    assertThat(estimatedPeerRows("select o_custkey from orders where o_orderdate >= date '1994-01-01' "
        + "and o_orderdate < date '1995-01-01'")).isBetween(1_800.0, 2_800.0);
    // Distinct order dates bound a grouping's result, from the histograms' distinct counts.
    assertThat(estimatedPeerRows("select o_orderdate, count(*) from orders group by o_orderdate"))
        .isBetween(2_000.0, 2_600.0);
  }

  @Test
  void coLocatedTablesJoinInsideThePeersAndAFilteredDimensionNarrowsThem() throws Exception {
    // TPC-H Q3's shape: customers of one segment, their orders and line items.
    var sql = "select l_orderkey, sum(l_extendedprice * (1 - l_discount)) as revenue, o_orderdate "
        + "from customer, orders, lineitem where c_mktsegment = 'BUILDING' and c_custkey = o_custkey "
        + "and l_orderkey = o_orderkey and o_orderdate < date '1995-03-15' "
        + "and l_shipdate > date '1995-03-15' group by l_orderkey, o_orderdate";
    var plan = explain(sql);
    assertThat(plan).as(plan).containsPattern("scan=\\[\\((lineitem|orders)\\[.*\\] & (orders|lineitem)\\[")
        .contains("keysFrom=[join build side, on O_CUSTKEY]");
    try (var connection = network.connect(); var reference = network.reference()) {
      var rows = Answers.run(connection, sql);
      assertThat(rows).isNotEmpty();
      assertThat(Answers.difference(rows, Answers.run(reference, sql), false)).isNull();
    }
    // Each peer was asked once, for the joined orders and line items of the segment's customers (an
    // IN list of their keys: " IN (", not the "JOIN (" every such sub-query has).
    var joined = subQueries().stream().filter(q -> q.tables().size() == 2).toList();
    assertThat(joined).hasSize(3).allSatisfy(q -> assertThat(q.sql()).contains("JOIN").contains(" IN ("));
  }

  @Test
  void aDimensionOfADimensionNarrowsTheKeysSentOnward() throws Exception {
    // TPC-H Q5's shape: one region's nations narrow the suppliers, whose keys narrow the line items.
    var sql = "select n_name, sum(l_extendedprice * (1 - l_discount)) as revenue "
        + "from customer, orders, lineitem, supplier, nation, region "
        + "where c_custkey = o_custkey and l_orderkey = o_orderkey and l_suppkey = s_suppkey "
        + "and c_nationkey = s_nationkey and s_nationkey = n_nationkey and n_regionkey = r_regionkey "
        + "and r_name = 'ASIA' and o_orderdate >= date '1994-01-01' and o_orderdate < date '1995-01-01' "
        + "group by n_name";
    var plan = explain(sql);
    // The suppliers joined with the region's nations (a bushy branch) send their keys to the
    // peers' joined orders and line items.
    assertThat(plan).as(plan).contains("EnumerableKeyCollector(keys=[S_SUPPKEY])")
        .contains("keysFrom=[join build side, on L_SUPPKEY]");
    var collector = plan.substring(plan.indexOf("EnumerableKeyCollector(keys=[S_SUPPKEY])"));
    assertThat(collector.substring(0, collector.indexOf("scan=[customer]")))
        .contains("scan=[supplier]").contains("scan=[nation]").contains("scan=[region]");
    try (var connection = network.connect(); var reference = network.reference()) {
      var rows = Answers.run(connection, sql);
      assertThat(rows).isNotEmpty();
      assertThat(Answers.difference(rows, Answers.run(reference, sql), false)).isNull();
    }
  }

  @Test
  void peersPreAggregateBelowAJoinWithAWholeTableAndShipOneRowPerGroup() throws Exception {
    // TPC-H Q10's shape: revenue of returned items per customer, with the customer's columns.
    var sql = "select c_custkey, c_name, sum(l_extendedprice * (1 - l_discount)) as revenue, c_acctbal "
        + "from customer, orders, lineitem where c_custkey = o_custkey and l_orderkey = o_orderkey "
        + "and o_orderdate >= date '1993-10-01' and o_orderdate < date '1994-01-01' and l_returnflag = 'R' "
        + "group by c_custkey, c_name, c_acctbal";
    var plan = explain(sql);
    // The peers join their orders and line items and sum per customer key; the customers are
    // joined afterwards (narrowed by the keys that came back).
    var joined = subQuerySql(plan, "\\(lineitem & orders\\[.*?\\]\\)");
    assertThat(joined).as(plan).contains("JOIN").contains("GROUP BY \"t2\".\"O_CUSTKEY\"");
    assertThat(plan).contains("keysFrom=[join build side, on C_CUSTKEY]");
    try (var connection = network.connect(); var reference = network.reference()) {
      var rows = Answers.run(connection, sql);
      assertThat(rows).hasSizeGreaterThan(100);
      assertThat(Answers.difference(rows, Answers.run(reference, sql), false)).isNull();
    }
    assertThat(subQueries().stream().filter(q -> q.tables().size() == 2).toList())
        .hasSize(3).allSatisfy(q -> assertThat(q.sql()).contains("GROUP BY"));
  }

  @Test
  void aPreAggregateStaysAboveTheJoinThePeersRunThemselves() throws Exception {
    // Q3 over all customers: the partial sums per order come from the peers' join of orders and
    // line items (filtered by both dates), not from all the line items grouped before the join.
    var sql = "select l_orderkey, sum(l_extendedprice * (1 - l_discount)) as revenue, o_orderdate, o_shippriority "
        + "from customer, orders, lineitem where c_custkey = o_custkey "
        + "and l_orderkey = o_orderkey and o_orderdate < date '1995-03-15' "
        + "and l_shipdate > date '1995-03-15' group by l_orderkey, o_orderdate, o_shippriority";
    var plan = explain(sql);
    var joined = subQuerySql(plan, "\\((lineitem|orders)\\[.*?\\] & (orders|lineitem)\\[.*?\\]\\)");
    assertThat(joined).as(plan).contains("INNER JOIN").contains("GROUP BY");
    assertThat(joined.indexOf("GROUP BY")).as(joined).isGreaterThan(joined.indexOf("INNER JOIN"));
    assertAnswersMatchTheReference(sql);
  }

  @Test
  void eachSideOfAnOrInAJoinConditionIsFilteredAtThePeers() throws Exception {
    var sql = "select sum(l_extendedprice) from lineitem, part where p_partkey = l_partkey and ("
        + "(p_brand = 'Brand#12' and p_size between 1 and 5 and l_quantity between 1 and 11) or "
        + "(p_brand = 'Brand#23' and p_size between 1 and 10 and l_quantity between 10 and 20))";
    var plan = explain(sql);
    // Only parts of the two brands and line items of the two quantity ranges leave the peers.
    assertThat(subQuerySql(plan, "part")).contains("Brand#12").contains("Brand#23");
    assertThat(subQuerySql(plan, "lineitem")).containsIgnoringCase("l_quantity");
    try (var connection = network.connect(); var reference = network.reference()) {
      var rows = Answers.run(connection, sql);
      assertThat(Answers.difference(rows, Answers.run(reference, sql), true)).isNull();
      assertThat(rows.getFirst().getFirst()).isNotNull();
    }
  }

  @Test
  void aStatementRunAgainOnAConnectionReusesItsPlanAndStillAsksThePeersEachTime() throws Exception {
    var sql = "select count(*), sum(o_totalprice) from orders where o_orderkey between 100 and 200";
    try (var connection = network.connect(); var other = network.connect()) {
      var plans = plans(connection);
      var first = Answers.run(connection, sql);
      int asked = subQueries().size();
      assertThat(plans.size()).isEqualTo(1);
      var again = Answers.run(connection, sql);
      assertThat(again).isEqualTo(first);
      assertThat(plans.size()).isEqualTo(1);
      // The reused plan runs again: the one peer that holds the range is asked a second time.
      assertThat(subQueries()).hasSize(2 * asked);
      assertThat(peersContacted()).isEqualTo(1);
      // Another connection (another user, perhaps) has plans of its own.
      var otherPlans = plans(other);
      assertThat(otherPlans.size()).isZero();
      Answers.run(connection, "explain plan for " + sql);
      assertThat(plans.size()).isEqualTo(1);
    }
  }

  @Test
  void aReusedPlanNarrowsItsSubQueriesByJoinKeysOnAnotherThread() throws Exception {
    // Key filters rewrite the fragment at run time; the plan was made on the first thread.
    var sql = "select p_partkey, sum(l_quantity) from lineitem, part "
        + "where l_partkey = p_partkey and p_size = 7 and p_container = 'SM BOX' group by p_partkey";
    try (var connection = network.connect(); var reference = network.reference()) {
      var expected = Answers.run(reference, sql);
      assertThat(Answers.difference(Answers.run(connection, sql), expected, false)).isNull();
      var again = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return Answers.run(connection, sql);
        } catch (SQLException e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      }, java.util.concurrent.Executors.newSingleThreadExecutor()).get();
      assertThat(Answers.difference(again, expected, false)).isNull();
    }
    assertThat(subQueries().stream().filter(q -> q.tables().equals(List.of("lineitem"))))
        .hasSizeGreaterThanOrEqualTo(2).allSatisfy(q -> assertThat(q.sql()).contains("\"L_PARTKEY\" IN ("));
  }

  @Test
  void rangeQueryContactsOnlyOverlappingPeers() throws Exception {
    try (var connection = network.connect()) {
      Answers.run(connection, "select count(*) from orders where o_orderkey between 100 and 200");
    }
    assertThat(peersContacted()).isEqualTo(1);
  }

  @Test
  void joinKeysOfASmallFilteredSideNarrowTheLargeSidesSubQueries() throws Exception {
    var sql = "select p_partkey, sum(l_quantity) from lineitem, part "
        + "where l_partkey = p_partkey and p_size = 7 and p_container = 'SM BOX' group by p_partkey";
    assertThat(explain(sql)).contains("keysFrom");
    try (var peersql = network.connect(); var reference = network.reference()) {
      var expected = Answers.run(reference, sql);
      assertThat(expected).isNotEmpty();
      assertThat(Answers.difference(Answers.run(peersql, sql), expected, false)).isNull();
      // The line items come only for the parts that passed the filter, named in the sub-query.
      var lineItemQueries = subQueries().stream().filter(q -> q.tables().equals(List.of("lineitem"))).toList();
      assertThat(lineItemQueries).isNotEmpty().allSatisfy(q -> assertThat(q.sql()).contains("\"L_PARTKEY\" IN ("));
      var firstKey = expected.get(0).get(0).toString();
      assertThat(lineItemQueries.get(0).sql()).contains(firstKey);
    }
  }

  @Test
  void aggregatesAreSplitIntoPartialAggregatesAtThePeers() throws Exception {
    var sql = "select l_returnflag, count(*), sum(l_quantity), avg(l_discount), min(l_shipdate) "
        + "from lineitem group by l_returnflag";
    assertAnswersMatchTheReference(sql);
    // Every peer sent grouped rows, never raw line items.
    assertThat(subQueries()).isNotEmpty().allSatisfy(q -> assertThat(q.sql()).contains("GROUP BY"));
  }

  @Test
  void peersComputeEachPartialAggregateOnceAndCountNotNullColumnsAsRows() throws Exception {
    // AVG becomes SUM / COUNT and SUM becomes CASE COUNT = 0 ...: on NOT NULL columns every such
    // COUNT is the group's row count, which the peers compute once.
    var sql = "select l_returnflag, sum(l_quantity), avg(l_quantity), avg(l_discount), count(*), "
        + "sum(l_extendedprice * (1 - l_discount)) from lineitem group by l_returnflag";
    assertAnswersMatchTheReference(sql);
    assertThat(subQueries()).isNotEmpty().allSatisfy(q -> {
      var text = q.sql().toUpperCase(java.util.Locale.ROOT);
      assertThat(text.split("COUNT\\(", -1)).as(q.sql()).hasSize(2);
      assertThat(text).contains("COUNT(*)");
      assertThat(text.split("SUM\\(\"L_QUANTITY\"\\)", -1)).as(q.sql()).hasSize(2);
    });
  }

  @Test
  void countDistinctMergesCorrectly() throws Exception {
    var sql = "select l_returnflag, count(distinct l_suppkey), count(*) from lineitem group by l_returnflag";
    assertAnswersMatchTheReference(sql);
  }

  @Test
  void joinOfCoLocatedTablesRunsInsideEachPeer() throws Exception {
    var sql = "select o_orderpriority, sum(l_quantity) from orders join lineitem on l_orderkey = o_orderkey "
        + "group by o_orderpriority";
    assertAnswersMatchTheReference(sql);
    assertThat(subQueries()).hasSize(3)
        .allSatisfy(q -> assertThat(q.sql()).contains("JOIN").contains("GROUP BY"));
  }

  @Test
  void topNIsCutAtEachPeer() throws Exception {
    var sql = "select o_orderkey, o_totalprice from orders order by o_totalprice desc, o_orderkey fetch first 5 rows only";
    try (var peersql = network.connect(); var reference = network.reference()) {
      assertThat(Answers.difference(Answers.run(peersql, sql), Answers.run(reference, sql), true)).isNull();
    }
    assertThat(subQueries()).allSatisfy(q -> assertThat(q.sql()).contains("FETCH NEXT 5 ROWS ONLY"));
  }

  @Test
  void windowFunctionsAndSubQueriesRunOverTheWholeNetwork() throws Exception {
    var sql = "select c_nationkey, c_custkey, rank() over (partition by c_nationkey order by c_acctbal desc, c_custkey) r "
        + "from customer where c_acctbal > (select avg(c_acctbal) from customer) order by c_nationkey, r, c_custkey";
    try (var peersql = network.connect(); var reference = network.reference()) {
      assertThat(Answers.difference(Answers.run(peersql, sql), Answers.run(reference, sql), true)).isNull();
    }
  }

  @Test
  void subQueriesCarryTheRequesterAndTheOwnerMayRefuse() throws Exception {
    var seen = new CopyOnWriteArrayList<SubQuery>();
    var owner = network.peers().get(2);
    owner.policy(subQuery -> {
      seen.add(subQuery);
      return subQuery.tables().contains("customer")
          ? new AccessDecision.Refuse("role " + subQuery.requester().role() + " may not read customer")
          : new AccessDecision.Run(subQuery);
    });
    try (var connection = network.connect()) {
      Answers.run(connection, "select count(*) from orders");
      assertThatThrownBy(() -> Answers.run(connection, "select count(*) from customer"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("peer3")
          .hasMessageContaining("customer")
          .hasMessageContaining("role buyer may not read customer");
    }
    assertThat(seen).isNotEmpty().allSatisfy(q -> {
      assertThat(q.requester().user()).isEqualTo("analyst");
      assertThat(q.requester().role()).isEqualTo("buyer");
      assertThat(q.requester().peerId()).isEqualTo("peer1");
    });
  }

  @Test
  void explainOfAParameterisedScanSaysParametersNarrowThePeersLater() throws Exception {
    assertThat(explain("select count(*) from lineitem where l_orderkey = ?"))
        .contains("PARTIAL_AGGREGATE").contains("before parameters narrow them");
  }
}
