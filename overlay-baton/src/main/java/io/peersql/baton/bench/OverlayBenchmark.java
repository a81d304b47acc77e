package io.peersql.baton.bench;

import io.peersql.baton.OrderedKey;
import io.peersql.baton.core.BatonProtocol;
import io.peersql.baton.core.Link;
import io.peersql.baton.core.Message.Get;
import io.peersql.baton.core.Message.Scan;
import io.peersql.baton.core.Message.Values;
import io.peersql.baton.core.Message.Entries;
import io.peersql.baton.core.NodeEvent;
import io.peersql.baton.core.NodeId;
import io.peersql.baton.core.ProtocolConfig;
import io.peersql.baton.sim.SimConfig;
import io.peersql.baton.sim.Simulator;
import io.peersql.baton.sim.TreeInvariants;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Workload W1: builds simulated BATON networks of N nodes by joins through random entry
 * nodes, then measures exact and range lookups, join and leave costs and lookups under 10%
 * failures before and after repair. Deterministic for a given seed (except wall time).
 * Prints a table and writes JSON (default {@code target/bench/overlay.json}).
 */
public final class OverlayBenchmark {
  static final String USAGE = """
      Usage: OverlayBenchmark [--nodes 1000,10000,100000] [--seed S] [--json FILE]
                              [--lookups 10000] [--ranges 1000] [--leaves 500]
        Simulates BATON networks of each size and prints workload W1 figures.
        --nodes    comma-separated network sizes (default 1000,10000)
        --seed     random seed; the same seed gives the same figures (default 1)
        --json     where to write the JSON results (default target/bench/overlay.json)
        --lookups  exact lookups per phase (default 10000)
        --ranges   range lookups covering about 1% of the key space (default 1000)
        --leaves   graceful leaves measured, at most N/20 (default 500)
        --repair-ms virtual time for repair after 10% of the nodes fail (default 6000)
      """;

  /** Figures for one network size. */
  record Result(int nodes, int height, double avgHops, int p99Hops, int maxHops,
      double rangeHopsAvg, double rangeNodesAvg, double joinMsgsAvg, long joinMsgsMax,
      double leaveMsgsAvg, long leaveMsgsMax, int leavesDone, double churnSuccessBefore,
      double churnSuccessAfter, long repairMsgs, int failedNodes, int unrepaired,
      double wallSeconds, double cpuSeconds, long heapMb) {}

  public static void main(String[] args) throws IOException {
    List<Integer> sizes = List.of(1000, 10000);
    long seed = 1;
    Path json = Path.of("target/bench/overlay.json");
    int lookups = 10_000;
    int ranges = 1000;
    int leaves = 500;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help", "-h" -> {
          System.out.print(USAGE);
          return;
        }
        case "--nodes" -> sizes = Arrays.stream(args[++i].split(",")).map(String::trim)
            .map(Integer::parseInt).toList();
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--json" -> json = Path.of(args[++i]);
        case "--lookups" -> lookups = Integer.parseInt(args[++i]);
        case "--ranges" -> ranges = Integer.parseInt(args[++i]);
        case "--leaves" -> leaves = Integer.parseInt(args[++i]);
        case "--repair-ms" -> REPAIR_WINDOW_MS = Long.parseLong(args[++i]);
        default -> {
          System.err.println("unknown argument " + args[i]);
          System.err.print(USAGE);
          System.exit(2);
        }
      }
    }
    var results = new ArrayList<Result>();
    for (int n : sizes) {
      results.add(run(n, seed, lookups, ranges, leaves));
      printTable(results);
    }
    writeJson(json, seed, results);
    System.out.println("JSON written to " + json);
  }

  /** Virtual time given to the repair after the mass failure (option --repair-ms). */
  static long REPAIR_WINDOW_MS = 6_000;
  /** Set while the lookups after the repair window run (for -Dbench.traceFail=after). */
  static boolean inAfter;

  /** Settings tuned for a large simulation: short timers, no fencing (no partitions here). */
  static ProtocolConfig benchConfig() {
    return new ProtocolConfig(2, 450, 0, 900, 1000, 400, 3, 200, Integer.MAX_VALUE);
  }

  static Result run(int n, long seed, int lookups, int ranges, int leaves) {
    long start = System.nanoTime();
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    var rnd = new SplittableRandom(seed ^ (n * 0x9E3779B97F4A7C15L));
    var sim = new Simulator(rnd.nextLong(), new SimConfig(1, 20, 0, 0, -1), benchConfig());
    var ids = new ArrayList<NodeId>();
    ids.add(sim.addRoot());
    long joinMsgs = 0;
    long joinMax = 0;
    for (int i = 1; i < n; i++) {
      long before = sim.messagesSent();
      ids.add(sim.addJoining(ids.get(rnd.nextInt(ids.size()))));
      sim.runUntilNoMessages();
      long used = sim.messagesSent() - before;
      joinMsgs += used;
      joinMax = Math.max(joinMax, used);
    }
    phase("built", start);
    int maxLevel = 0;
    for (var node : sim.activeNodes()) {
      maxLevel = Math.max(maxLevel, node.position().level());
    }
    int height = maxLevel + 1;

    var hops = exactLookups(sim, rnd, lookups, activeIds(sim));
    Arrays.sort(hops.values);
    double avgHops = Arrays.stream(hops.values).average().orElse(0);
    int p99 = hops.values.length == 0 ? 0 : hops.values[(int) Math.ceil(hops.values.length * 0.99) - 1];
    int max = hops.values.length == 0 ? 0 : hops.values[hops.values.length - 1];

    phase("exact lookups", start);
    long rangeHops = 0;
    long rangeNodes = 0;
    int rangeDone = 0;
    var live = activeIds(sim);
    for (int i = 0; i < ranges; i++) {
      double f = rnd.nextDouble() * 0.99;
      long r = sim.submit(live.get(rnd.nextInt(live.size())),
          new Scan(fractionKey(f), fractionKey(f + 0.01)));
      sim.runUntilNoMessages();
      var c = sim.completion(r);
      if (c != null && c.result() instanceof Entries e) {
        rangeHops += c.hops();
        rangeNodes += e.nodesVisited();
        rangeDone++;
      }
    }

    phase("range lookups", start);
    int leaveCount = Math.min(leaves, n / 20);
    long leaveMsgs = 0;
    long leaveMax = 0;
    int leavesDone = 0;
    var liveSet = new LiveNodes(sim, ids);
    var typesBeforeLeaves = sim.sentByType();
    for (int i = 0; i < leaveCount; i++) {
      live = liveSet.current();
      var who = live.get(rnd.nextInt(live.size()));
      long before = sim.messagesSent();
      sim.leave(who);
      sim.runUntilNoMessages();
      long used = sim.messagesSent() - before;
      if (sim.node(who).status() == BatonProtocol.Status.LEFT) {
        leavesDone++;
        leaveMsgs += used;
        leaveMax = Math.max(leaveMax, used);
      }
    }

    if (Boolean.getBoolean("bench.verbose")) {
      var delta = new java.util.TreeMap<String, Long>();
      sim.sentByType().forEach((k, v) -> {
        long d = v - typesBeforeLeaves.getOrDefault(k, 0L);
        if (d > 0) {
          delta.put(k, d);
        }
      });
      System.err.println("  leave messages: " + delta);
    }
    phase("leaves", start);
    if (Boolean.getBoolean("bench.checkLeaves")) {
      // debugging aid: the tree right after the leaves (changes the random draws that follow)
      TreeInvariants.checkQuiet(sim, java.util.Map.of());
      System.err.println("  lookups after the leaves: "
          + exactLookups(sim, rnd, 2000, activeIds(sim)).successRate());
    }
    // churn: 10% of the nodes fail at once
    live = activeIds(sim);
    var failed = new HashSet<NodeId>();
    while (failed.size() < live.size() / 10) {
      failed.add(live.get(rnd.nextInt(live.size())));
    }
    failed.forEach(sim::crash);
    var survivors = new ArrayList<>(live);
    survivors.removeAll(failed);
    int churnLookups = Math.min(lookups, 2000);
    double before = exactLookups(sim, rnd, churnLookups, survivors).successRate();
    phase("lookups with failures", start);
    long repairStart = sim.messagesSent();
    // repair runs on timers for a fixed window of virtual time
    var typesBefore = sim.sentByType();
    sim.setTicks(100);
    sim.runFor(REPAIR_WINDOW_MS);
    sim.setTicks(0);
    sim.runUntilNoMessages();
    int unrepaired = TreeInvariants.unrepairedFailures(sim);
    if (Boolean.getBoolean("bench.verbose")) {
      var delta = new java.util.TreeMap<String, Long>();
      sim.sentByType().forEach((k, v) -> delta.put(k, v - typesBefore.getOrDefault(k, 0L)));
      System.err.println("  repair messages: " + delta);
    }
    if (Boolean.getBoolean("bench.verbose")) {
      int shown = 0;
      for (var x : sim.activeNodes()) {
        for (var l : new Link[] {x.leftAdjacent(), x.rightAdjacent()}) {
          if (l != null && sim.isCrashed(l.node()) && shown++ < 6) {
            System.err.println("  waiting: " + x.debugState() + " dead=" + sim.node(l.node()));
          }
        }
      }
    }
    if (Integer.getInteger("bench.unrepaired", 0) > 0) {
      printUnrepaired(sim, Integer.getInteger("bench.unrepaired"));
    }
    long repairMsgs = sim.messagesSent() - repairStart;
    phase("repair", start);
    inAfter = true;
    double after = exactLookups(sim, rnd, churnLookups, activeIds(sim)).successRate();
    inAfter = false;

    double wall = (System.nanoTime() - start) / 1e9;
    // CPU time of the simulating thread: on a shared machine, wall time mostly measures the
    // neighbours' load
    double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
    var rt = Runtime.getRuntime();
    long heapMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
    return new Result(n, height, avgHops, p99, max,
        rangeDone == 0 ? 0 : (double) rangeHops / rangeDone,
        rangeDone == 0 ? 0 : (double) rangeNodes / rangeDone,
        (double) joinMsgs / Math.max(1, n - 1), joinMax,
        leavesDone == 0 ? 0 : (double) leaveMsgs / leavesDone, leaveMax, leavesDone,
        before, after, repairMsgs, failed.size(), unrepaired, wall, cpu, heapMb);
  }

  private static void phase(String what, long start) {
    if (Boolean.getBoolean("bench.verbose")) {
      System.err.printf(Locale.ROOT, "  %-22s %7.1f s%n", what, (System.nanoTime() - start) / 1e9);
    }
  }

  private record Hops(int[] values, int attempted) {
    double successRate() {
      return attempted == 0 ? 1 : (double) values.length / attempted;
    }
  }

  private static Hops exactLookups(Simulator sim, SplittableRandom rnd, int count,
      List<NodeId> from) {
    var reqs = new long[count];
    var keys = new OrderedKey[count];
    var origins = new NodeId[count];
    for (int i = 0; i < count; i++) {
      keys[i] = randomKey(rnd);
      origins[i] = from.get(rnd.nextInt(from.size()));
      reqs[i] = sim.submit(origins[i], new Get(keys[i]));
      if (i % 256 == 255) {
        sim.runUntilNoMessages();
      }
    }
    sim.runUntilNoMessages();
    var ok = new ArrayList<Integer>();
    var why = new java.util.TreeMap<String, Integer>();
    // -Dbench.traceFail=true: replay the first failing lookup with a message trace
    String traceFail = System.getProperty("bench.traceFail", "false");
    boolean traced = traceFail.equals("false") || traceFail.equals("after") && !inAfter;
    for (int i = 0; i < count; i++) {
      long r = reqs[i];
      var c = sim.completion(r);
      if (!traced && (c == null || !(c.result() instanceof Values))) {
        traced = true;
        traceLookup(sim, origins[i], keys[i]);
      }
      if (c != null && c.result() instanceof Values) {
        ok.add(c.hops());
      } else {
        why.merge(c == null ? "no answer" : c.result().toString(), 1, Integer::sum);
      }
    }
    if (!why.isEmpty() && Boolean.getBoolean("bench.verbose")) {
      System.err.println("  failed lookups: " + why);
    }
    return new Hops(ok.stream().mapToInt(Integer::intValue).toArray(), count);
  }

  /**
   * Debugging aid: the failed nodes that live nodes still link to after the repair window, with
   * those live nodes (how they link, their state), and how many of the failed nodes none of
   * them holds a replica of (those cannot be rebuilt: their state and entries are gone).
   */
  private static void printUnrepaired(Simulator sim, int show) {
    var linkedBy = new java.util.TreeMap<NodeId, List<BatonProtocol>>(
        Comparator.comparing(NodeId::toString));
    for (var x : sim.activeNodes()) {
      for (var l : new Link[] {x.parent(), x.leftChild(), x.rightChild(), x.leftAdjacent(),
          x.rightAdjacent()}) {
        if (l != null && sim.isCrashed(l.node())) {
          var list = linkedBy.computeIfAbsent(l.node(), k -> new ArrayList<>());
          if (!list.contains(x)) {
            list.add(x);
          }
        }
      }
    }
    int noReplica = 0;
    int shown = 0;
    for (var e : linkedBy.entrySet()) {
      boolean replicated = false;
      for (var x : e.getValue()) {
        var r = x.replicas().get(e.getKey());
        replicated |= r != null && r.range() != null;
      }
      if (!replicated) {
        noReplica++;
      }
      if (shown++ < show) {
        System.err.println("  failed " + sim.node(e.getKey()).debugState()
            + (replicated ? "" : " (no replica at the nodes linking to it)"));
        e.getValue().forEach(x -> System.err.println("    linked by " + x.debugState()));
      }
    }
    System.err.println("  failed nodes still linked: " + linkedBy.size()
        + ", with no replica at the nodes linking to them: " + noReplica);
  }

  /** Repeats one lookup with the simulator tracing, and prints its hops and the nodes on its way. */
  private static void traceLookup(Simulator sim, NodeId origin, OrderedKey key) {
    sim.keepTrace(200_000);
    long again = sim.submit(origin, new Get(key));
    sim.runUntilNoMessages();
    System.err.println("  trace of a failing lookup for " + key + " from " + origin + ": "
        + sim.completion(again));
    var byName = new java.util.HashMap<String, NodeId>();
    for (var x : sim.nodes()) {
      byName.put(x.self().toString(), x.self());
    }
    var visited = new java.util.LinkedHashSet<NodeId>();
    for (var line : sim.trace()) {
      if (line.contains("reqId=" + again + ",")) {
        System.err.println("    " + (line.length() > 300 ? line.substring(0, 300) : line));
        visited.add(byName.get(line.split(" -> ")[1].split(" ")[0]));
      }
    }
    visited.stream().limit(Integer.getInteger("bench.traceStates", 8)).forEach(id -> {
      var n = sim.node(id);
      var rt = new StringBuilder();
      for (var side : io.peersql.baton.core.Side.values()) {
        for (int i = 0; i < n.routingTableSize(side); i++) {
          var e = n.routingEntry(side, i);
          if (e != null) {
            rt.append(' ').append(side.name().charAt(0)).append(i).append('=').append(e.node())
                .append(e.range()).append(sim.isCrashed(e.node()) ? "X" : "");
          }
        }
      }
      System.err.println("    state " + n.debugState() + "\n      rt" + rt);
    });
    sim.keepTrace(0);
  }

  /**
   * The live active nodes in creation order, as {@link #activeIds} lists them, kept up to
   * date from the nodes' events instead of a scan of every node before each leave (at
   * 100,000 nodes the scans cost more than the leaves). A node enters or leaves that list only
   * with an event (Joined, Left, Fenced, JoinAborted), or passes through IN_TRANSIT between a
   * leave and a Joined; {@code -Dbench.checkLive=true} compares with a full scan each time.
   */
  private static final class LiveNodes {
    private final Simulator sim;
    private final java.util.Map<NodeId, Integer> created = new java.util.HashMap<>();
    private final java.util.Set<NodeId> touched = new java.util.LinkedHashSet<>();
    private final List<NodeId> list;

    LiveNodes(Simulator sim, List<NodeId> ids) {
      this.sim = sim;
      for (int i = 0; i < ids.size(); i++) {
        created.put(ids.get(i), i);
      }
      list = activeIds(sim);
      sim.onEvent((node, ev) -> {
        if (ev instanceof NodeEvent.Joined || ev instanceof NodeEvent.Left
            || ev instanceof NodeEvent.Fenced || ev instanceof NodeEvent.JoinAborted) {
          touched.add(node);
        }
      });
    }

    List<NodeId> current() {
      for (var id : touched) {
        var node = sim.node(id);
        boolean active = !sim.isCrashed(id) && (node.status() == BatonProtocol.Status.ACTIVE
            || node.status() == BatonProtocol.Status.LEAVING);
        int at = java.util.Collections.binarySearch(list, id,
            java.util.Comparator.comparing(created::get));
        if (active && at < 0) {
          list.add(-at - 1, id);
        } else if (!active && at >= 0) {
          list.remove(at);
        }
      }
      touched.clear();
      if (Boolean.getBoolean("bench.checkLive") && !list.equals(activeIds(sim))) {
        throw new IllegalStateException("live list out of step with the simulator");
      }
      return list;
    }
  }

  private static List<NodeId> activeIds(Simulator sim) {
    var list = new ArrayList<NodeId>();
    for (var node : sim.activeNodes()) {
      list.add(node.self());
    }
    return list;
  }

  /** A uniformly random key: 8 random bytes, i.e. a fraction of the key space. */
  static OrderedKey randomKey(SplittableRandom rnd) {
    long v = rnd.nextLong();
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >>> (56 - 8 * i));
    }
    return OrderedKey.ofBytes(b);
  }

  /** The key at fraction f of the key space (keys read as base-256 fractions). */
  static OrderedKey fractionKey(double f) {
    long v = (long) (Math.min(f, 0.999999) * 0x1p63) << 1;
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >>> (56 - 8 * i));
    }
    return OrderedKey.ofBytes(b);
  }

  static void printTable(List<Result> results) {
    System.out.println();
    System.out.println("W1 overlay (simulated BATON; reference: Chord 1/2*log2 N, BATON* m=2 ns-3)");
    System.out.printf(Locale.ROOT, "%8s %6s %7s %6s %8s %5s %5s %9s %9s %9s %9s %9s %8s %8s %9s %7s %7s%n",
        "nodes", "height", "1.44lgN", "avgHop", "chord.5lg", "p99", "max", "rangeHop",
        "joinMsgs", "joinMax", "leaveMsg", "6lgN", "okBefore", "okAfter", "unrep", "wall_s",
        "cpu_s");
    for (var r : results) {
      double lg = Math.log(r.nodes()) / Math.log(2);
      System.out.printf(Locale.ROOT,
          "%8d %6d %7.1f %6.2f %8.2f %5d %5d %9.2f %9.1f %9d %9.1f %9.1f %8.4f %8.4f %9s %7.1f %7.1f%n",
          r.nodes(), r.height(), 1.44 * lg, r.avgHops(), lg / 2, r.p99Hops(), r.maxHops(),
          r.rangeHopsAvg(), r.joinMsgsAvg(), r.joinMsgsMax(), r.leaveMsgsAvg(), 6 * lg,
          r.churnSuccessBefore(), r.churnSuccessAfter(), r.unrepaired() + "/" + r.failedNodes(),
          r.wallSeconds(), r.cpuSeconds());
    }
  }

  static void writeJson(Path path, long seed, List<Result> results) throws IOException {
    var sb = new StringBuilder();
    sb.append("{\n  \"workload\": \"W1\",\n  \"seed\": ").append(seed).append(",\n  \"results\": [\n");
    for (int i = 0; i < results.size(); i++) {
      var r = results.get(i);
      sb.append(String.format(Locale.ROOT, """
              {"nodes": %d, "height": %d, "avgHops": %.4f, "p99Hops": %d, "maxHops": %d, \
          "rangeHopsAvg": %.4f, "rangeNodesAvg": %.4f, "joinMsgsAvg": %.4f, "joinMsgsMax": %d, \
          "leaveMsgsAvg": %.4f, "leaveMsgsMax": %d, "leavesMeasured": %d, \
          "churnSuccessBefore": %.6f, "churnSuccessAfter": %.6f, "repairMsgs": %d, \
          "failedNodes": %d, "unrepairedAfterWindow": %d, "repairWindowMs": %d, \
          "chordHalfLog2N": %.4f, "wallSeconds": %.3f, "cpuSeconds": %.3f, "heapMb": %d}""",
          r.nodes(), r.height(), r.avgHops(), r.p99Hops(), r.maxHops(), r.rangeHopsAvg(),
          r.rangeNodesAvg(), r.joinMsgsAvg(), r.joinMsgsMax(), r.leaveMsgsAvg(), r.leaveMsgsMax(),
          r.leavesDone(), r.churnSuccessBefore(), r.churnSuccessAfter(), r.repairMsgs(),
          r.failedNodes(), r.unrepaired(), REPAIR_WINDOW_MS,
          Math.log(r.nodes()) / Math.log(2) / 2, r.wallSeconds(), r.cpuSeconds(), r.heapMb()));
      sb.append(i == results.size() - 1 ? "\n" : ",\n");
    }
    sb.append("  ]\n}\n");
    if (path.getParent() != null) {
      Files.createDirectories(path.getParent());
    }
    Files.writeString(path, sb.toString());
  }

  private OverlayBenchmark() {}
}
