package io.peersql.bootstrap.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real headless Chromium driven over the DevTools protocol: navigate to a page, run
 * JavaScript in it, and wait for what it renders. Started with a throw-away profile; stopped on
 * {@link #close()}.
 */
final class HeadlessChromium implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private HeadlessChromium(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  /** Starts Chromium and connects to its first page. */
  static HeadlessChromium start() throws Exception {
    var profile = Files.createTempDirectory("peersql-chromium");
    var process = new ProcessBuilder(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--no-first-run",
        "--disable-dev-shm-usage", "--remote-allow-origins=*", "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank"))
        .redirectErrorStream(true)
        .redirectOutput(profile.resolve("chromium.log").toFile())
        .start();
    try {
      var portFile = profile.resolve("DevToolsActivePort");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("Chromium did not start: "
              + Files.readString(profile.resolve("chromium.log")));
        }
        Thread.sleep(100);
      }
      int port = Integer.parseInt(Files.readAllLines(portFile).getFirst().trim());
      var http = HttpClient.newHttpClient();
      String pageSocket = null;
      while (pageSocket == null) {
        var targets = JSON.readTree(http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
            HttpResponse.BodyHandlers.ofString()).body());
        for (var target : targets) {
          if ("page".equals(target.path("type").asText())) {
            pageSocket = target.path("webSocketDebuggerUrl").asText();
          }
        }
        if (pageSocket == null) {
          Thread.sleep(100);
        }
      }
      var holder = new HeadlessChromium[1];
      var socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
          message.append(data);
          if (last) {
            holder[0].received(message.toString());
            message.setLength(0);
          }
          webSocket.request(1);
          return null;
        }
      }).get(10, TimeUnit.SECONDS);
      holder[0] = new HeadlessChromium(process, profile, socket);
      return holder[0];
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private void received(String text) {
    try {
      var message = JSON.readTree(text);
      if (message.has("id")) {
        var future = pending.remove(message.get("id").asInt());
        if (future != null) {
          future.complete(message);
        }
      }
    } catch (IOException e) {
      // not a protocol message; ignore
    }
  }

  private JsonNode call(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    var future = new CompletableFuture<JsonNode>();
    pending.put(id, future);
    socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true);
    var reply = future.get(30, TimeUnit.SECONDS);
    if (reply.has("error")) {
      throw new IllegalStateException(method + " failed: " + reply.get("error"));
    }
    return reply.path("result");
  }

  /** Loads a URL in the page. */
  void navigate(String url) throws Exception {
    call("Page.navigate", Map.of("url", url));
  }

  /** Runs JavaScript in the page and returns its value (as text). */
  String evaluate(String expression) throws Exception {
    var result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
        "awaitPromise", true));
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException("JavaScript failed: " + result.get("exceptionDetails"));
    }
    return result.path("result").path("value").asText();
  }

  /** Evaluates {@code expression} until its value satisfies {@code condition}; returns that value. */
  String await(String expression, Predicate<String> condition, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String value = null;
    while (System.nanoTime() < deadline) {
      try {
        value = evaluate(expression);
        if (condition.test(value)) {
          return value;
        }
      } catch (IllegalStateException e) {
        value = e.getMessage();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("Timed out waiting on " + expression + "; last value: " + value);
  }

  @Override
  public void close() throws Exception {
    socket.abort();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    try (var files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
