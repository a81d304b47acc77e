package io.peersql.deploy;

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

      Run ./peersql <command> --help for a command's options.
      """;

  private PeerSqlCli() {
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
      default -> {
        System.err.println("Unknown command '" + args[0] + "'");
        System.err.print(USAGE);
        yield 2;
      }
    };
    System.exit(status);
  }
}
