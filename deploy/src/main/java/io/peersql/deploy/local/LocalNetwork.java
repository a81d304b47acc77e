package io.peersql.deploy.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * A whole corporate network on this machine: the bootstrap service and N normal peers, each a
 * separate process on a free loopback port with its own embedded store under the data directory,
 * each peer holding its own slice of the TPC-H sample data.
 *
 * <p>Once the bootstrap is up, the launcher prepares the demo network over its REST API (see
 * {@link DemoBootstrapSetup}): companies, the network with the TPC-H global schema, and one peer
 * per company whose bootstrap credentials are handed to the peer process.
 *
 * <p>The data directory remembers the network's shape and the passwords (provider, company
 * admins, business users), so a second start reuses the loaded data and the same credentials.
 */
public final class LocalNetwork implements AutoCloseable {

  /** The kind of store every peer keeps its data in. */
  public enum Store {
    /** Embedded H2 in the peer's process (the default). */
    H2,
    /** A PostgreSQL server per peer, started by the launcher, data in the peer's directory. */
    POSTGRES;

    /** Parses {@code h2} or {@code postgres}. */
    public static Store parse(String text) {
      return switch (text.toLowerCase(java.util.Locale.ROOT)) {
        case "h2" -> H2;
        case "postgres", "postgresql" -> POSTGRES;
        default -> throw new IllegalArgumentException("--store must be h2 or postgres, got '" + text + "'");
      };
    }
  }

  /** What to start. */
  public record Spec(int peers, double scale, Path dataDir, Path appsDir, Duration readyTimeout, Store store) {

    /** A Spec with H2 stores. */
    public Spec(int peers, double scale, Path dataDir, Path appsDir, Duration readyTimeout) {
      this(peers, scale, dataDir, appsDir, readyTimeout, Store.H2);
    }

    /** Creates a Spec, refusing impossible values. */
    public Spec {
      if (peers < 1 || peers > 64) {
        throw new IllegalArgumentException("--peers must be between 1 and 64, got " + peers);
      }
      if (!(scale >= 0.01 && scale <= 100)) {
        throw new IllegalArgumentException("--scale must be between 0.01 and 100, got " + scale);
      }
      requireNonNull(dataDir, "dataDir is null");
      requireNonNull(appsDir, "appsDir is null");
      requireNonNull(readyTimeout, "readyTimeout is null");
      requireNonNull(store, "store is null");
    }
  }

  /**
   * How a business user reaches one peer, and the peer's base URL and admin password (for its
   * admin API: mapping and loads), and the JDBC URL of its store itself (with the store's user;
   * an H2 file store can be opened only while the peer is stopped).
   */
  public record PeerAccess(String name, String company, String jdbcUrl, String user, String password,
      String baseUrl, String adminPassword, String storeUrl) {

    /** The line {@code ./peersql demo} prints for this peer. */
    public String describe() {
      return "peer " + name + " jdbc " + jdbcUrl + " user " + user + " password " + password;
    }
  }

  private static final String BUSINESS_USER = "analyst";
  /** The provider's username on the demo's bootstrap service. */
  public static final String PROVIDER_USER = "provider";

  private final Spec spec;
  private final PrintStream progress;
  private final List<AppProcess> processes = new ArrayList<>();
  private final List<PostgresStore> stores = new ArrayList<>();
  private final List<PeerAccess> peers = new ArrayList<>();
  private AppProcess bootstrap;
  private String providerPassword;
  private boolean closed;

  /** Creates a LocalNetwork that is not started yet; {@link #close()} may be called at any time. */
  public LocalNetwork(Spec spec, PrintStream progress) {
    this.spec = requireNonNull(spec, "spec is null");
    this.progress = requireNonNull(progress, "progress is null");
  }

  /** Starts the network and returns once every process is ready; stops everything on failure. */
  public static LocalNetwork start(Spec spec, PrintStream progress) throws IOException, InterruptedException {
    var network = new LocalNetwork(spec, progress);
    network.start();
    return network;
  }

  /** Starts every process and returns once all are ready; stops everything on failure. */
  public void start() throws IOException, InterruptedException {
    try {
      startAll();
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The bootstrap service's base URL. */
  public String bootstrapUrl() {
    return bootstrap.baseUrl();
  }

  /** The provider's password on the bootstrap service (user {@link #PROVIDER_USER}). */
  public String providerPassword() {
    return providerPassword;
  }

  /** How to reach each peer, in order. */
  public List<PeerAccess> peers() {
    return List.copyOf(peers);
  }

  private synchronized void register(AppProcess process) {
    if (closed) {
      process.close();
      throw new IllegalStateException("The network was stopped while starting");
    }
    processes.add(process);
  }

  /** Kills one process at once (as a crash would), for failure tests; {@code name} as in logs. */
  public synchronized void kill(String name) throws InterruptedException {
    var process = processes.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No process named " + name));
    process.kill();
  }

  /** Stops one process gracefully (its store closed cleanly) and forgets it; {@code name} as in logs. */
  public synchronized void stop(String name) {
    var process = processes.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No process named " + name));
    process.close();
    processes.remove(process);
  }

  /** Whether every process is still running. */
  public synchronized boolean isHealthy() {
    return processes.stream().allMatch(AppProcess::isAlive);
  }

  /** A process that has stopped, with the end of its log, if any. */
  public synchronized String failureReport() {
    return processes.stream()
        .filter(process -> !process.isAlive())
        .map(process -> process.name() + " stopped; last lines of " + process.log() + ":\n" + process.logTail(20))
        .findFirst()
        .orElse("");
  }

  private void startAll() throws IOException, InterruptedException {
    Files.createDirectories(spec.dataDir());
    var state = NetworkState.loadOrCreate(spec);
    var bootstrapJar = app("bootstrap-service");
    app("normal-peer"); // refuse before starting anything when the peer jar is missing
    var logs = spec.dataDir().resolve("logs");

    providerPassword = state.passwordOf("provider");
    int bootstrapPort = freePort();
    bootstrap = AppProcess.start("bootstrap", bootstrapPort, bootstrapJar, jvmOptions("bootstrap"),
        List.of("--server.port=" + bootstrapPort,
            "--peersql.bootstrap.data-dir=" + spec.dataDir().resolve("bootstrap").toAbsolutePath(),
            "--peersql.bootstrap.security.provider.username=" + PROVIDER_USER,
            "--peersql.bootstrap.security.provider.password=" + providerPassword),
        logs.resolve("bootstrap.log"));
    register(bootstrap);
    awaitReady(List.of(bootstrap));

    var demo = new ArrayList<DemoBootstrapSetup.PeerSpec>();
    for (int part = 1; part <= spec.peers(); part++) {
      var company = "company-" + part;
      demo.add(new DemoBootstrapSetup.PeerSpec("peer-" + part,
          new DemoBootstrapSetup.Company(company, company + "-admin", state.passwordOf(company + "-admin"))));
    }
    var secrets = new DemoBootstrapSetup(bootstrap.baseUrl(), PROVIDER_USER, providerPassword).prepare(demo);
    progress.printf("bootstrap portal %s/portal/ (provider login %s / %s; company admins company-N-admin,"
        + " passwords in %s)%n", bootstrap.baseUrl(), PROVIDER_USER, providerPassword,
        spec.dataDir().resolve(NetworkState.FILE));

    var started = new ArrayList<AppProcess>();
    for (int part = 1; part <= spec.peers(); part++) {
      var name = "peer-" + part;
      var launched = launchPeer(state, name, "company-" + part, part, spec.peers(), List.of(
          "--peersql.peer.bootstrap-url=" + bootstrap.baseUrl(),
          "--peersql.peer.bootstrap-secret=" + secrets.get(name)));
      started.add(launched.process());
      peers.add(launched.access());
    }
    awaitReady(started);
    writeRunning();
  }

  /**
   * Starts, beside the network, a standalone peer holding the whole TPC-H data set in one store
   * (slice 1 of 1 at the network's scale): the single-store reference that benchmarks compare the
   * network against. It runs the same engine but joins no bootstrap and forms an overlay of its own.
   */
  public PeerAccess startReference() throws IOException, InterruptedException {
    var launched = launchPeer(NetworkState.loadOrCreate(spec), "reference", "reference", 1, 1, List.of());
    awaitReady(List.of(launched.process()));
    return launched.access();
  }

  /** A peer process just started, and how business users and its admin reach it. */
  private record LaunchedPeer(AppProcess process, PeerAccess access) {
  }

  /**
   * Starts one normal peer process holding TPC-H slice {@code part} of {@code partCount}, with its
   * own store under the data directory and the credentials kept in the network state; {@code
   * extra} adds arguments (the bootstrap to register with). Does not wait for it to be ready.
   */
  private LaunchedPeer launchPeer(NetworkState state, String name, String company, int part, int partCount,
      List<String> extra) throws IOException {
    var password = state.passwordOf(name);
    int port = freePort();
    var arguments = new ArrayList<>(List.of(
        "--server.port=" + port,
        "--peersql.peer.name=" + name,
        "--peersql.peer.company=" + company,
        "--peersql.peer.data-dir=" + spec.dataDir().resolve(name).toAbsolutePath(),
        "--peersql.peer.business-user=" + BUSINESS_USER,
        "--peersql.peer.business-password=" + password,
        "--peersql.peer.admin.password=" + state.adminPasswordOf(name),
        "--peersql.peer.tpch.scale=" + spec.scale(),
        "--peersql.peer.tpch.part=" + part,
        "--peersql.peer.tpch.part-count=" + partCount));
    var storeUrl = "jdbc:h2:file:" + spec.dataDir().resolve(name).resolve("store").toAbsolutePath()
        + ";USER=sa;OPTIMIZE_REUSE_RESULTS=0";
    if (spec.store() == Store.POSTGRES) {
      var directory = spec.dataDir().resolve(name).resolve("postgres").toAbsolutePath();
      progress.printf("starting PostgreSQL for %s in %s%n", name, directory);
      var store = PostgresStore.start(directory, freePort());
      registerStore(store);
      arguments.add("--spring.datasource.url=" + store.jdbcUrl());
      arguments.add("--spring.datasource.username=postgres");
      arguments.add("--spring.datasource.password=");
      storeUrl = store.jdbcUrl() + "&user=postgres";
    }
    arguments.addAll(extra);
    var process = AppProcess.start(name, port, app("normal-peer"), jvmOptions(name), arguments,
        spec.dataDir().resolve("logs").resolve(name + ".log"));
    register(process);
    return new LaunchedPeer(process, new PeerAccess(name, company,
        "jdbc:avatica:remote:url=" + process.baseUrl() + "/avatica;serialization=PROTOBUF",
        BUSINESS_USER, password, process.baseUrl(), state.adminPasswordOf(name), storeUrl));
  }

  /** Records where the running peers are, for {@code ./peersql load --peer peer-2}. */
  private void writeRunning() throws IOException {
    var running = new Properties();
    running.setProperty("bootstrap", bootstrap.baseUrl());
    for (var peer : peers) {
      running.setProperty("url." + peer.name(), peer.baseUrl());
    }
    try (var out = Files.newOutputStream(spec.dataDir().resolve(RUNNING))) {
      running.store(out, "PeerSQL local network: where its processes listen while it runs");
    }
  }

  /** The file, in a network's data directory, that says where its peers listen while it runs. */
  public static final String RUNNING = "running.properties";

  private Path app(String module) {
    var jar = spec.appsDir().resolve(module + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("Missing " + jar + ": build first with ./mvnw -B -DskipTests package");
    }
    return jar;
  }

  /**
   * Options of a process. Heaps share the machine's memory: the bootstrap may take 5 % of it,
   * the peers 35 % among them and a benchmark's reference peer (all data in one store) 25 %,
   * instead of the JVM's default quarter each, with which five processes loading TPC-H at scale
   * 1 overcommitted memory until the kernel killed one.
   */
  private List<String> jvmOptions(String process) {
    double percent = switch (process) {
      case "bootstrap" -> 5;
      case "reference" -> 25;
      default -> 35.0 / spec.peers();
    };
    return List.of("-XX:+UseSerialGC", "-Xss1m", "-Djava.net.preferIPv4Stack=true",
        String.format(java.util.Locale.ROOT, "-XX:MaxRAMPercentage=%.1f", percent));
  }

  private void awaitReady(List<AppProcess> waiting) throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + spec.readyTimeout().toNanos();
    long nextReport = started + Duration.ofSeconds(5).toNanos();
    var pending = new ArrayList<>(waiting);
    while (!pending.isEmpty()) {
      for (var process : List.copyOf(pending)) {
        if (!process.isAlive()) {
          throw new IllegalStateException(process.name() + " stopped while starting; last lines of "
              + process.log() + ":\n" + process.logTail(30));
        }
        if (process.isReady()) {
          pending.remove(process);
          progress.printf("%s ready (%d s)%n", process.name(), elapsedSeconds(started));
        }
      }
      if (pending.isEmpty()) {
        break;
      }
      long now = System.nanoTime();
      if (now > deadline) {
        throw new IllegalStateException("Not ready after " + spec.readyTimeout().toSeconds() + " s: "
            + pending.stream().map(p -> p.name() + " (see " + p.log() + "); its last lines:\n" + p.logTail(40))
                .collect(java.util.stream.Collectors.joining("\n")));
      }
      if (now > nextReport) {
        nextReport = now + Duration.ofSeconds(5).toNanos();
        progress.printf("waiting for %s (%d s; loading data on first start, logs in %s)%n",
            pending.stream().map(AppProcess::name).toList(), elapsedSeconds(started),
            spec.dataDir().resolve("logs"));
      }
      Thread.sleep(250);
    }
  }

  private static long elapsedSeconds(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds();
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Stops every process this network started, peers first. Safe to call more than once. */
  @Override
  public synchronized void close() {
    closed = true;
    try {
      Files.deleteIfExists(spec.dataDir().resolve(RUNNING));
    } catch (IOException e) {
      // Stopping matters more than the stale file; the next start overwrites it.
    }
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
    processes.clear();
    // After the peers, which hold connections to them.
    stores.forEach(PostgresStore::close);
    stores.clear();
  }

  private synchronized void registerStore(PostgresStore store) {
    if (closed) {
      store.close();
      throw new IllegalStateException("The network was closed while starting");
    }
    stores.add(store);
  }

  /** The network's shape and credentials, kept in the data directory across runs. */
  private record NetworkState(Properties values) {

    private static final String FILE = "network.properties";

    static NetworkState loadOrCreate(Spec spec) throws IOException {
      var file = spec.dataDir().resolve(FILE);
      var values = new Properties();
      if (Files.exists(file)) {
        try (var in = Files.newInputStream(file)) {
          values.load(in);
        }
        int peers = Integer.parseInt(values.getProperty("peers"));
        double scale = Double.parseDouble(values.getProperty("scale"));
        if (peers != spec.peers() || scale != spec.scale()) {
          throw new IllegalArgumentException("The data directory " + spec.dataDir() + " holds a network of "
              + peers + " peers at scale " + scale + "; run with --peers " + peers + " --scale " + scale
              + ", or choose another --data-dir");
        }
      } else {
        values.setProperty("peers", Integer.toString(spec.peers()));
        values.setProperty("scale", Double.toString(spec.scale()));
      }
      // Passwords missing from a directory made by an older launcher are added, never replaced.
      var random = new SecureRandom();
      boolean added = false;
      var accounts = new ArrayList<String>(List.of("provider", "reference", "reference-admin"));
      for (int part = 1; part <= spec.peers(); part++) {
        accounts.add("peer-" + part);
        accounts.add("company-" + part + "-admin");
        accounts.add("peer-" + part + "-admin");
      }
      for (var account : accounts) {
        if (values.getProperty("password." + account) == null) {
          var secret = new byte[9];
          random.nextBytes(secret);
          values.setProperty("password." + account, HexFormat.of().formatHex(secret));
          added = true;
        }
      }
      if (added) {
        try (var out = Files.newOutputStream(file)) {
          values.store(out, "PeerSQL local network: shape, the provider's, company admins' and business users'"
              + " passwords");
        }
      }
      return new NetworkState(values);
    }

    /** The password of the admin API of one peer ({@code ./peersql load}). */
    String adminPasswordOf(String peer) {
      return passwordOf(peer + "-admin");
    }

    String passwordOf(String account) {
      var value = values.getProperty("password." + account);
      if (value == null) {
        throw new IllegalStateException("No password for " + account + " in " + FILE);
      }
      return value;
    }
  }
}
