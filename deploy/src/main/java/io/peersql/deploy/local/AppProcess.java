package io.peersql.deploy.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One PeerSQL application (the bootstrap service or a normal peer) running as a child process
 * on a loopback port, with its output in a log file.
 */
final class AppProcess implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  private final String name;
  private final int port;
  private final Path log;
  private final Process process;

  private AppProcess(String name, int port, Path log, Process process) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /** Starts {@code java -jar jar args...} in the background, its output appended to {@code log}. */
  static AppProcess start(String name, int port, Path jar, List<String> jvmOptions, List<String> args, Path log)
      throws IOException {
    requireNonNull(name, "name is null");
    Files.createDirectories(log.getParent());
    var command = new java.util.ArrayList<String>();
    command.add(javaExecutable());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    var process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    return new AppProcess(name, port, log, process);
  }

  private static String javaExecutable() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  Path log() {
    return log;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Whether the application reports itself ready (started, data loaded) on its health endpoint. */
  boolean isReady() {
    var request = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/readiness"))
        .timeout(Duration.ofSeconds(2))
        .GET()
        .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The last lines of the application's log, for error messages. */
  String logTail(int lines) {
    try {
      var all = Files.readAllLines(log);
      return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** Kills the application at once (SIGKILL), as a crash would; for failure tests. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Stops the application: a graceful shutdown first, then a forced one after a grace period. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
