package io.peersql.query.bench;

import io.peersql.query.testing.Answers;
import io.peersql.query.testing.TpchNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Workload W2: the TPC-H queries over {@code P} peers against one H2 database holding all the data,
 * side by side in the same run. For each query it checks the answers agree, then times
 * {@code runs} executions of each (alternating) and reports medians, the ratio PeerSQL /
 * reference and the geometric mean of the ratios; the same figures go to
 * {@code target/bench/tpch-sf<SF>-p<P>.json}.
 *
 * <p>Arguments (all optional): {@code sf=0.01 peers=3 runs=3 queries=1,3,5 explain=false};
 * {@code explain=true} also prints each plan and the sub-queries peer1 received. The command
 * that runs it is in the module's README ("Figures").
 */
public final class TpchBenchmark {

  private record Figure(int query, double peersqlMillis, double referenceMillis, String check) {
    double ratio() {
      return peersqlMillis / Math.max(referenceMillis, 0.001);
    }
  }

  private TpchBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    double sf = 0.01;
    int peers = 3;
    int runs = 3;
    boolean explain = false;
    List<Integer> queries = new ArrayList<>();
    for (int q = 1; q <= 22; q++) {
      queries.add(q);
    }
    for (var arg : args) {
      var parts = arg.split("=", 2);
      switch (parts[0]) {
        case "sf" -> sf = Double.parseDouble(parts[1]);
        case "peers" -> peers = Integer.parseInt(parts[1]);
        case "runs" -> runs = Integer.parseInt(parts[1]);
        case "explain" -> explain = Boolean.parseBoolean(parts[1]);
        case "queries" -> queries = Arrays.stream(parts[1].split(",")).map(Integer::valueOf).toList();
        default -> throw new IllegalArgumentException("unknown argument " + arg);
      }
    }
    long loadStart = System.nanoTime();
    try (var network = TpchNetwork.start(sf, peers)) {
      System.out.printf(Locale.ROOT, "TPC-H SF %s over %d peers (loaded in %.1f s), median of %d runs%n",
          sf, peers, (System.nanoTime() - loadStart) / 1e9, runs);
      System.out.printf(Locale.ROOT, "%-5s %12s %14s %8s  %s%n", "query", "PeerSQL ms", "reference ms",
          "ratio", "answer");
      var figures = new ArrayList<Figure>();
      try (var peersql = network.connect(); var reference = network.reference()) {
        for (int q : queries) {
          var sql = Answers.tpchQuery(q);
          if (explain) {
            System.out.println(Answers.run(peersql, "explain plan for " + sql).get(0).get(0));
          }
          int seen = network.peers().get(0).received().size();
          var referenceSql = Answers.referenceQuery(q);
          var check = Answers.difference(Answers.run(peersql, sql), Answers.run(reference, referenceSql),
              sql.contains("order by"));
          if (explain) {
            var received = network.peers().get(0).received();
            received.subList(seen, received.size()).forEach(subQuery ->
                System.out.println("peer1 ran: " + subQuery.sql().replace('\n', ' ')));
          }
          var peersqlTimes = new double[runs];
          var referenceTimes = new double[runs];
          for (int r = 0; r < runs; r++) {
            peersqlTimes[r] = time(peersql, sql);
            referenceTimes[r] = time(reference, referenceSql);
          }
          var figure = new Figure(q, median(peersqlTimes), median(referenceTimes),
              check == null ? "same" : "DIFFERENT: " + check.lines().findFirst().orElse(""));
          figures.add(figure);
          System.out.printf(Locale.ROOT, "Q%-4d %12.1f %14.1f %8.2f  %s%n", q, figure.peersqlMillis(),
              figure.referenceMillis(), figure.ratio(), figure.check());
        }
      }
      double logSum = figures.stream().mapToDouble(f -> Math.log(f.ratio())).sum();
      double geomean = Math.exp(logSum / figures.size());
      System.out.printf(Locale.ROOT, "geometric mean of ratios: %.2f; total PeerSQL %.1f s, reference %.1f s%n",
          geomean, figures.stream().mapToDouble(Figure::peersqlMillis).sum() / 1000,
          figures.stream().mapToDouble(Figure::referenceMillis).sum() / 1000);
      write(sf, peers, runs, figures, geomean);
    }
  }

  private static double time(Connection connection, String sql) throws Exception {
    long start = System.nanoTime();
    Answers.run(connection, sql);
    return (System.nanoTime() - start) / 1e6;
  }

  private static double median(double[] values) {
    var sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static void write(double sf, int peers, int runs, List<Figure> figures, double geomean)
      throws IOException {
    var json = new StringBuilder();
    json.append(String.format(Locale.ROOT, "{\"sf\": %s, \"peers\": %d, \"runs\": %d, \"geomeanRatio\": %.3f, \"queries\": [",
        sf, peers, runs, geomean));
    for (int i = 0; i < figures.size(); i++) {
      var f = figures.get(i);
      json.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
          "  {\"query\": %d, \"peersqlMillis\": %.1f, \"referenceMillis\": %.1f, \"ratio\": %.3f, \"answer\": \"%s\"}",
          f.query(), f.peersqlMillis(), f.referenceMillis(), f.ratio(),
          f.check().replace("\\", "\\\\").replace("\"", "\\\"")));
    }
    json.append("\n]}\n");
    var out = Path.of("target", "bench", String.format(Locale.ROOT, "tpch-sf%s-p%d.json", sf, peers));
    Files.createDirectories(out.getParent());
    Files.writeString(out, json);
    System.out.println("wrote " + out.toAbsolutePath());
  }
}
