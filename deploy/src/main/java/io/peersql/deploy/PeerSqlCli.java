package io.peersql.deploy;

import io.peersql.deploy.bench.SelectiveBenchmark;
import io.peersql.deploy.bench.TpchBenchmark;
import io.peersql.deploy.local.DemoCommand;
import io.peersql.deploy.local.LoadCommand;
import java.util.Arrays;

/**
 * The {@code ./peersql} command line: dispatches to one subcommand. Subcommands that live in
 * other modules (the overlay benchmark) are dispatched by the {@code peersql} script itself.
 */
public final class PeerSqlCli {

  static final String USAGE = """
      usage: ./peersql <command> [options]

      commands:
        demo             start a local corporate network with TPC-H sample data
        load             load a company's data into its peer through a schema mapping
        bench overlay    run the BATON overlay simulation benchmark (W1)
        bench load       measure loading through a schema mapping against a bulk load (W5)
        bench tpch       TPC-H over a network of peers against one reference store (W2)
        bench selective  point and narrow range queries from concurrent clients (W3)

      Run ./peersql <command> --help for a command's options.
      """;

  private PeerSqlCli() {
  }

  /** The benchmarks that run networks of peers; {@code bench overlay} and {@code bench load} run elsewhere. */
  private static int bench(String[] args) throws Exception {
    var rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    return switch (args.length == 0 ? "" : args[0]) {
      case "tpch" -> TpchBenchmark.run(rest, System.out, System.err);
      case "selective" -> SelectiveBenchmark.run(rest, System.out, System.err);
      default -> {
        System.err.println("usage: ./peersql bench overlay|load|tpch|selective [options]   (./peersql bench <name> --help)");
        yield 2;
      }
    };
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      System.out.print(USAGE);
      return;
    }
    var rest = Arrays.copyOfRange(args, 1, args.length);
    int status = switch (args[0]) {
      case "demo" -> DemoCommand.run(rest, System.out, System.err);
      case "load" -> LoadCommand.run(rest, System.out, System.err);
      case "bench" -> bench(rest);
      default -> {
        System.err.println("Unknown command '" + args[0] + "'");
        System.err.print(USAGE);
        yield 2;
      }
    };
    System.exit(status);
  }
}
