package io.peersql.peer.bench;

import io.peersql.peer.load.LoadMode;
import io.peersql.peer.load.MappingLoader;
import io.peersql.peer.load.SchemaMapping;
import io.peersql.peer.store.TpchSliceLoader;
import io.trino.tpch.LineItem;
import io.trino.tpch.TpchTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.h2.jdbcx.JdbcDataSource;

/**
 * W5: rows per second loaded into one peer's store from a JDBC source through a schema mapping
 * (renamed columns, converted types), against the store's own bulk load ({@code CSVREAD}) of the
 * same rows, side by side in one run. Prints a table and writes JSON.
 */
public final class LoadBenchmark {

  static final String USAGE = """
      usage: ./peersql bench load [--scale SF] [--runs N] [--json FILE]

      Loads TPC-H LINEITEM at scale SF (default 0.1) from a company-schema H2 source into a
      fresh H2 peer store through a schema mapping, and the same rows with H2's own CSVREAD;
      N runs each (default 3), medians reported. JSON goes to target/bench/load.json.
      """;

  private LoadBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    double scale = 0.1;
    int runs = 3;
    Path json = Path.of("target", "bench", "load.json");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help", "-h" -> {
          System.out.print(USAGE);
          return;
        }
        case "--scale" -> scale = Double.parseDouble(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--json" -> json = Path.of(args[++i]);
        default -> {
          System.err.println("Unknown option '" + args[i] + "'");
          System.err.print(USAGE);
          System.exit(2);
        }
      }
    }
    var work = Files.createTempDirectory("peersql-bench-load");
    try {
      run(scale, runs, json, work);
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private static void run(double scale, int runs, Path json, Path work) throws Exception {
    System.out.printf("Preparing the source: TPC-H LINEITEM at scale %s in a company schema...%n", scale);
    var source = h2(work.resolve("source/erp"));
    long rows = fillSource(source, scale);
    var csv = work.resolve("lineitem.csv");
    try (var connection = source.getConnection(); var statement = connection.createStatement()) {
      statement.execute("call csvwrite('" + csv.toAbsolutePath() + "', 'select order_id, part, supplier, line_no, qty, "
          + "price, discount, tax, return_flag, line_status, shipped, committed, received, instructions, mode, note "
          + "from sales_line')");
    }
    var mapping = SchemaMapping.parse("""
        source: { jdbcUrl: "%s", user: sa, password: "" }
        tables:
          - target: lineitem
            from: sales_line
            columns: { l_orderkey: order_id, l_partkey: part, l_suppkey: supplier, l_linenumber: line_no,
                       l_quantity: qty, l_extendedprice: price, l_discount: discount, l_tax: tax,
                       l_returnflag: return_flag, l_linestatus: line_status, l_shipdate: shipped,
                       l_commitdate: committed, l_receiptdate: received, l_shipinstruct: instructions,
                       l_shipmode: mode, l_comment: note }
        """.formatted(source.getURL()));

    var mapped = new ArrayList<Double>();
    var bulk = new ArrayList<Double>();
    for (int run = 1; run <= runs; run++) {
      var store = h2(work.resolve("mapped-" + run + "/store"));
      new TpchSliceLoader(store).createTables();
      long started = System.nanoTime();
      var report = new MappingLoader(store).load(mapping, LoadMode.FULL, progress -> { }, () -> false);
      mapped.add(seconds(started));
      check(report.rows().get("lineitem"), rows, "mapping load");

      var reference = h2(work.resolve("bulk-" + run + "/store"));
      new TpchSliceLoader(reference).createTables();
      started = System.nanoTime();
      try (var connection = reference.getConnection(); var statement = connection.createStatement()) {
        long loaded = statement.executeUpdate("insert into lineitem select * from csvread('" + csv.toAbsolutePath() + "')");
        bulk.add(seconds(started));
        check(loaded, rows, "CSVREAD");
      }
      System.out.printf("run %d: mapping %.2f s, CSVREAD %.2f s%n", run, mapped.getLast(), bulk.getLast());
    }
    double mappedMedian = median(mapped);
    double bulkMedian = median(bulk);
    long mappedRate = Math.round(rows / mappedMedian);
    long bulkRate = Math.round(rows / bulkMedian);
    System.out.println();
    System.out.printf("%-34s %10s %12s %10s%n", "W5 load into an H2 peer store", "rows", "median s", "rows/s");
    System.out.printf("%-34s %10d %12.2f %10d%n", "schema mapping from JDBC (PeerSQL)", rows, mappedMedian, mappedRate);
    System.out.printf("%-34s %10d %12.2f %10d%n", "H2 CSVREAD bulk load (reference)", rows, bulkMedian, bulkRate);
    System.out.printf("ratio PeerSQL / reference (time): %.2f%n", mappedMedian / bulkMedian);
    Files.createDirectories(json.toAbsolutePath().getParent());
    Files.writeString(json, String.format(Locale.ROOT,
        "{\"workload\":\"W5\",\"scale\":%s,\"runs\":%d,\"rows\":%d,\"mappingSeconds\":%.3f,\"mappingRowsPerSecond\":%d,"
            + "\"bulkSeconds\":%.3f,\"bulkRowsPerSecond\":%d,\"ratio\":%.3f}%n",
        scale, runs, rows, mappedMedian, mappedRate, bulkMedian, bulkRate, mappedMedian / bulkMedian));
    System.out.println("JSON written to " + json);
  }

  private static void check(long loaded, long expected, String what) {
    if (loaded != expected) {
      throw new IllegalStateException(what + " loaded " + loaded + " rows, expected " + expected);
    }
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  private static double median(List<Double> values) {
    var sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static JdbcDataSource h2(Path file) {
    var dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:file:" + file.toAbsolutePath());
    dataSource.setUser("sa");
    return dataSource;
  }

  private static long fillSource(JdbcDataSource source, double scale) throws SQLException, IOException {
    try (var connection = source.getConnection()) {
      try (var statement = connection.createStatement()) {
        statement.execute("create table sales_line (order_id bigint, line_no integer, part bigint, supplier bigint, "
            + "qty double precision, price double precision, discount double precision, tax double precision, "
            + "return_flag varchar(1), line_status varchar(1), shipped date, committed date, received date, "
            + "instructions varchar(25), mode varchar(10), note varchar(44))");
      }
      connection.setAutoCommit(false);
      long rows = 0;
      try (var insert = connection.prepareStatement(
          "insert into sales_line values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
        for (LineItem line : TpchTable.LINE_ITEM.createGenerator(scale, 1, 1)) {
          insert.setLong(1, line.orderKey());
          insert.setInt(2, line.lineNumber());
          insert.setLong(3, line.partKey());
          insert.setLong(4, line.supplierKey());
          insert.setDouble(5, line.quantity());
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
          if (++rows % 5_000 == 0) {
            insert.executeBatch();
          }
        }
        insert.executeBatch();
      }
      connection.commit();
      return rows;
    }
  }
}
