package io.peersql.deploy.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;

/**
 * {@code ./peersql load}: gives a peer the company's schema mapping and runs a load there,
 * showing its progress until it commits or fails. Ctrl-C cancels the load; the peer then keeps
 * its previous data.
 */
public final class LoadCommand {

  static final String USAGE = """
      usage: ./peersql load --peer PEER --mapping FILE [--incremental] [--user U --password P] [--data-dir DIR]

      Stores the schema mapping FILE (JSON or YAML) on the peer and loads the company's data
      through it, showing progress. The load is atomic: on failure or Ctrl-C the peer keeps
      its previous data.

        --peer PEER      the peer's base URL (http://host:port), or the name of a peer of the
                         local network started by ./peersql demo (for example peer-2)
        --mapping FILE   the schema mapping; omit it to load with the mapping already stored
        --incremental    load only rows changed since the last load (needs watermarks)
        --user U         the peer's admin user (default admin)
        --password P     the peer's admin password (for a demo peer: read from --data-dir)
        --data-dir DIR   the demo network's data directory (default ./peersql-data/demo)
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  private LoadCommand() {
  }

  /** Runs the command; returns the process exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    String peer = null;
    Path mapping = null;
    boolean incremental = false;
    String user = "admin";
    String password = null;
    Path dataDir = Path.of("peersql-data", "demo");
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--help", "-h" -> {
            out.print(USAGE);
            return 0;
          }
          case "--peer" -> peer = value(args, ++i, "--peer");
          case "--mapping" -> mapping = Path.of(value(args, ++i, "--mapping"));
          case "--incremental" -> incremental = true;
          case "--user" -> user = value(args, ++i, "--user");
          case "--password" -> password = value(args, ++i, "--password");
          case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
          default -> throw new IllegalArgumentException("Unknown option '" + args[i] + "'");
        }
      }
      if (peer == null) {
        throw new IllegalArgumentException("--peer is required");
      }
      String baseUrl = peer;
      if (!peer.startsWith("http://") && !peer.startsWith("https://")) {
        baseUrl = demoProperty(dataDir, LocalNetwork.RUNNING, "url." + peer,
            "is the local network running (./peersql demo)?");
        if (password == null) {
          password = demoProperty(dataDir, "network.properties", "password." + peer + "-admin", "");
        }
      }
      if (password == null) {
        throw new IllegalArgumentException("--password is required for a peer given by URL");
      }
      if (mapping != null && !Files.isRegularFile(mapping)) {
        throw new IllegalArgumentException("No mapping file " + mapping);
      }
      return new Session(baseUrl.replaceAll("/+$", ""), user, password, out, err).load(mapping, incremental);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(USAGE);
      return 2;
    } catch (IOException e) {
      err.println("Cannot reach the peer: " + e.getMessage());
      return 1;
    }
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }

  private static String demoProperty(Path dataDir, String file, String key, String hint) throws IOException {
    var path = dataDir.resolve(file);
    if (!Files.exists(path)) {
      throw new IllegalArgumentException("No " + path + ": " + hint);
    }
    var properties = new Properties();
    try (var in = Files.newInputStream(path)) {
      properties.load(in);
    }
    var value = properties.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("No " + key + " in " + path + " " + hint);
    }
    return value;
  }

  /** One conversation with a peer's admin API. */
  private record Session(String baseUrl, String user, String password, PrintStream out, PrintStream err) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    int load(Path mapping, boolean incremental) throws IOException, InterruptedException {
      if (mapping != null) {
        var stored = send("PUT", "/api/mapping", Files.readString(mapping, StandardCharsets.UTF_8));
        if (stored.statusCode() != 200) {
          return refused("The peer refused the mapping", stored);
        }
        out.println("Mapping stored on " + baseUrl);
      }
      var started = send("POST", "/api/loads?mode=" + (incremental ? "INCREMENTAL" : "FULL"), "");
      if (started.statusCode() != 202) {
        return refused("The peer did not start the load", started);
      }
      long id = JSON.readTree(started.body()).get("id").asLong();
      out.println("Load " + id + " started (" + (incremental ? "incremental" : "full") + "); Ctrl-C cancels it");
      var cancel = new Thread(() -> {
        try {
          send("DELETE", "/api/loads/" + id, null);
          err.println("Cancel requested; the peer keeps its previous data.");
        } catch (IOException | InterruptedException e) {
          err.println("Could not cancel load " + id + ": " + e.getMessage());
        }
      });
      Runtime.getRuntime().addShutdownHook(cancel);
      try {
        String lastLine = null;
        while (true) {
          Thread.sleep(500);
          var job = JSON.readTree(send("GET", "/api/loads/" + id, null).body());
          var line = describe(job.get("progress"));
          if (line != null && !line.equals(lastLine)) {
            out.println(line);
            lastLine = line;
          }
          switch (job.get("state").asText()) {
            case "SUCCEEDED" -> {
              out.println("Load " + id + " committed: " + job.get("rows"));
              return 0;
            }
            case "FAILED", "CANCELLED" -> {
              err.println(job.get("error").asText());
              return 1;
            }
            default -> { }
          }
        }
      } finally {
        Runtime.getRuntime().removeShutdownHook(cancel);
      }
    }

    private static String describe(JsonNode progress) {
      if (progress == null || progress.isNull()) {
        return null;
      }
      long expected = progress.get("rowsExpected").asLong();
      long left = progress.get("secondsLeft").asLong();
      return progress.get("table").asText() + " (" + progress.get("tableNumber").asInt() + "/"
          + progress.get("tableCount").asInt() + "): " + progress.get("rowsDone").asLong()
          + (expected >= 0 ? " of " + expected : "") + " rows, " + progress.get("rowsPerSecond").asLong() + " rows/s"
          + (left >= 0 ? ", " + left + " s left" : "");
    }

    private int refused(String what, HttpResponse<String> response) {
      String detail = response.body();
      try {
        var problem = JSON.readTree(response.body());
        if (problem.hasNonNull("detail")) {
          detail = problem.get("detail").asText();
        }
      } catch (IOException e) {
        // Not a problem document; show the body as it is.
      }
      err.println(what + " (HTTP " + response.statusCode() + "): " + detail);
      return 1;
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
      var auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      var request = HttpRequest.newBuilder(URI.create(baseUrl + path))
          .timeout(Duration.ofSeconds(30))
          .header("Authorization", "Basic " + auth)
          .header("Content-Type", "text/plain")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
          .build();
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
  }
}
