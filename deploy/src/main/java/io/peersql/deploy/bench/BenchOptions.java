package io.peersql.deploy.bench;

import io.peersql.deploy.local.LocalNetwork;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command-line options of a benchmark: {@code --name value} pairs, each known in advance. */
final class BenchOptions {

  private final Map<String, String> values = new LinkedHashMap<>();
  private boolean help;

  private BenchOptions() {
  }

  /** Parses {@code args}, accepting only {@code known} options (without the leading dashes). */
  static BenchOptions parse(String[] args, List<String> known) {
    var options = new BenchOptions();
    for (int i = 0; i < args.length; i++) {
      var arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        options.help = true;
        continue;
      }
      if (!arg.startsWith("--") || !known.contains(arg.substring(2))) {
        throw new IllegalArgumentException("Unknown option '" + arg + "'");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(arg + " needs a value");
      }
      options.values.put(arg.substring(2), args[++i]);
    }
    return options;
  }

  boolean help() {
    return help;
  }

  int integer(String name, int fallback, int min, int max) {
    var text = values.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value < min || value > max) {
        throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " needs a whole number, got '" + text + "'");
    }
  }

  double decimal(String name, double fallback) {
    var text = values.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " needs a number, got '" + text + "'");
    }
  }

  List<Integer> integers(String name, List<Integer> fallback) {
    var text = values.get(name);
    if (text == null) {
      return fallback;
    }
    var list = new ArrayList<Integer>();
    for (var part : text.split(",")) {
      try {
        list.add(Integer.parseInt(part.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + " needs comma-separated whole numbers, got '" + text + "'");
      }
    }
    return list;
  }

  /**
   * The network a benchmark starts: {@code peers} peers at {@code scale}, data under
   * {@code --data-dir} (default {@code ./peersql-data/bench-<bench>-<peers>-<scale>[-postgres]}),
   * stores of {@code --store} (h2 or postgres), apps from the build, up to three hours to load.
   */
  LocalNetwork.Spec network(String bench, int peers, double scale) {
    var store = LocalNetwork.Store.parse(values.getOrDefault("store", "h2"));
    var dataDir = path("data-dir", Path.of("peersql-data", "bench-" + bench + "-" + peers + "-" + scale
        + (store == LocalNetwork.Store.H2 ? "" : "-postgres")));
    var appsDir = Path.of(System.getProperty("peersql.apps", "deploy/target/apps"));
    return new LocalNetwork.Spec(peers, scale, dataDir, appsDir, Duration.ofHours(3), store);
  }

  Path path(String name, Path fallback) {
    var text = values.get(name);
    return text == null ? fallback : Path.of(text);
  }
}
