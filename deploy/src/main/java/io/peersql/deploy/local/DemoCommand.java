package io.peersql.deploy.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code ./peersql demo}: starts a local network, prints how to reach each peer, and keeps it
 * running until interrupted (Ctrl-C), then stops every process it started.
 */
public final class DemoCommand {

  static final String USAGE = """
      usage: ./peersql demo [--peers N] [--scale SF] [--store h2|postgres] [--data-dir DIR] [--timeout SEC]

      Starts the bootstrap service and N normal peers on this machine, each peer a separate
      process on a free loopback port with its own embedded H2 store holding its own slice of
      the TPC-H data. Runs until Ctrl-C. A second run with the same --data-dir reuses the data.

        --peers N        number of peers (default 3)
        --scale SF       TPC-H scale factor of the whole network (default 0.01)
        --store KIND     h2 (default) or postgres: a PostgreSQL server per peer, started here
        --data-dir DIR   where stores, logs and credentials live (default ./peersql-data/demo)
        --timeout SEC    how long to wait for the network to be ready (default 1800)
      """;

  private DemoCommand() {
  }

  /** Runs the command; returns the process exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    int peers = 3;
    double scale = 0.01;
    Path dataDir = Path.of("peersql-data", "demo");
    long timeoutSeconds = 1800;
    var store = LocalNetwork.Store.H2;
    var appsDir = Path.of(System.getProperty("peersql.apps", "deploy/target/apps"));
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--help", "-h" -> {
            out.print(USAGE);
            return 0;
          }
          case "--peers" -> peers = Integer.parseInt(value(args, ++i, "--peers"));
          case "--scale" -> scale = Double.parseDouble(value(args, ++i, "--scale"));
          case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
          case "--store" -> store = LocalNetwork.Store.parse(value(args, ++i, "--store"));
          case "--timeout" -> timeoutSeconds = Long.parseLong(value(args, ++i, "--timeout"));
          default -> throw new IllegalArgumentException("Unknown option '" + args[i] + "'");
        }
      }
      var spec = new LocalNetwork.Spec(peers, scale, dataDir, appsDir, Duration.ofSeconds(timeoutSeconds),
          store);
      return runUntilInterrupted(spec, out);
    } catch (NumberFormatException e) {
      err.println("Not a number: " + e.getMessage());
      err.print(USAGE);
      return 2;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(USAGE);
      return 2;
    } catch (IllegalStateException e) {
      err.println(e.getMessage());
      return 1;
    }
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }

  private static int runUntilInterrupted(LocalNetwork.Spec spec, PrintStream out) throws Exception {
    out.printf("Starting a PeerSQL network of %d peers, TPC-H scale %s, data in %s%n",
        spec.peers(), spec.scale(), spec.dataDir().toAbsolutePath());
    var network = new LocalNetwork(spec, out);
    // Registered before starting so that Ctrl-C during a long first load stops what already runs.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("Stopping the network...");
      network.close();
      out.println("Stopped.");
    }, "peersql-demo-shutdown"));
    network.start();

    out.println();
    out.println("bootstrap " + network.bootstrapUrl());
    for (var peer : network.peers()) {
      out.println(peer.describe());
    }
    out.println();
    out.println("Each peer's admin API (mapping, loads) takes user admin with the admin-password in "
        + spec.dataDir().resolve("network.properties") + "; ./peersql load --peer peer-1 ... finds it.");
    out.println("The network is running; press Ctrl-C to stop it.");
    while (network.isHealthy()) {
      Thread.sleep(1000);
    }
    out.println(network.failureReport());
    return 1;
  }
}
