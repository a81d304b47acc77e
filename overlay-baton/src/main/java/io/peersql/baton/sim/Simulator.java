package io.peersql.baton.sim;

import io.peersql.baton.core.BatonProtocol;
import io.peersql.baton.core.Effects;
import io.peersql.baton.core.Envelope;
import io.peersql.baton.core.Message;
import io.peersql.baton.core.Message.Operation;
import io.peersql.baton.core.Message.Result;
import io.peersql.baton.core.Message.Tick;
import io.peersql.baton.core.Message.Undeliverable;
import io.peersql.baton.core.NodeEvent;
import io.peersql.baton.core.NodeId;
import io.peersql.baton.core.ProtocolConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A seeded discrete-event simulator running many {@link BatonProtocol} nodes in virtual
 * time. Messages get random delays (FIFO per pair of nodes, like a TCP connection), droppable
 * messages may be lost, nodes may crash, and partitions cut the network into groups; a
 * message that cannot reach its target (crashed, partitioned) comes back to its sender as
 * {@link Undeliverable}, as a broken connection would. The same seed gives the same run.
 */
public final class Simulator {
  private final SimConfig config;
  private final ProtocolConfig protocolConfig;
  private final SplittableRandom random;
  private final Map<NodeId, BatonProtocol> nodes = new LinkedHashMap<>();
  private final Set<NodeId> crashed = new HashSet<>();
  private final Map<NodeId, Long> leftAt = new HashMap<>();
  private final Map<NodeId, Integer> partition = new HashMap<>();
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private final List<Envelope> held = new ArrayList<>();
  private final Map<Long, Long> channelClock = new HashMap<>();
  private final Map<NodeId, Integer> index = new HashMap<>();
  private final Map<Long, Completion> completions = new HashMap<>();
  private final Map<Class<?>, long[]> sentByType = new HashMap<>();
  private final List<Consumer<Simulator>> afterStep = new ArrayList<>();
  private final List<EventListener> listeners = new ArrayList<>();
  private long now;
  private java.util.ArrayDeque<String> trace;
  private int traceSize;
  private long seq;
  private long nextReqId = 1;
  private long messagesSent;
  private long inFlight;
  private long nextTickAt;
  private long tickMs;
  private int nextNodeNumber;

  /** Creates a simulator; all randomness (delays, loss, node seeds) derives from {@code seed}. */
  public Simulator(long seed, SimConfig config, ProtocolConfig protocolConfig) {
    this.config = config;
    this.protocolConfig = protocolConfig;
    this.random = new SplittableRandom(seed);
    this.tickMs = config.tickMs();
    this.nextTickAt = config.tickMs();
  }

  /** Something a node reported, for tests. */
  public interface EventListener {
    void onEvent(NodeId node, NodeEvent event);
  }

  /** How a client operation ended: its result and the hops it took. */
  public record Completion(Result result, int hops, long finishedAt) {}

  // ---- building and driving the network ----

  public NodeId createNode() {
    var id = new NodeId("sim-" + nextNodeNumber, 10000 + nextNodeNumber);
    index.put(id, nextNodeNumber);
    nextNodeNumber++;
    nodes.put(id, new BatonProtocol(id, protocolConfig, random.split()));
    return id;
  }

  public NodeId addRoot() {
    var id = createNode();
    apply(id, nodes.get(id).startAsRoot(now));
    return id;
  }

  /** Creates a node and starts its join through {@code accessPoint}. */
  public NodeId addJoining(NodeId accessPoint) {
    var id = createNode();
    apply(id, nodes.get(id).join(now, accessPoint));
    return id;
  }

  /** Starts another join attempt of an existing (outside) node. */
  public void rejoin(NodeId id, NodeId accessPoint) {
    apply(id, nodes.get(id).join(now, accessPoint));
  }

  public void leave(NodeId id) {
    apply(id, nodes.get(id).leave(now));
  }

  /** Stops a node dead: it handles nothing more; messages to it bounce. */
  public void crash(NodeId id) {
    crashed.add(id);
  }

  /** Splits the network: nodes in different groups cannot reach each other. */
  public void partition(Map<NodeId, Integer> groups) {
    partition.clear();
    partition.putAll(groups);
  }

  public void heal() {
    partition.clear();
    var release = new ArrayList<>(held);
    held.clear();
    for (var env : release) {
      if (crashed.contains(env.to())) {
        bounce(env);
      } else {
        enqueue(env);
      }
    }
  }

  /** Starts a client operation at {@code origin}; see {@link #completion(long)}. */
  public long submit(NodeId origin, Operation op) {
    long reqId = nextReqId++;
    apply(origin, nodes.get(origin).submit(now, reqId, op));
    return reqId;
  }

  public Completion completion(long reqId) {
    return completions.get(reqId);
  }

  public void onStep(Consumer<Simulator> check) {
    afterStep.add(check);
  }

  public void onEvent(EventListener l) {
    listeners.add(l);
  }

  /** Processes the next event. Returns false when nothing is left to do. */
  public boolean step() {
    boolean ticks = tickMs > 0;
    Event e = queue.peek();
    if (e == null && !ticks) {
      return false;
    }
    if (ticks && (e == null || nextTickAt <= e.time)) {
      now = nextTickAt;
      nextTickAt += tickMs;
      for (var n : new ArrayList<>(nodes.values())) {
        if (!crashed.contains(n.self())) {
          apply(n.self(), n.handle(now, new Envelope(n.self(), n.self(), new Tick())));
        }
      }
      runChecks();
      return true;
    }
    queue.poll();
    now = e.time;
    inFlight--;
    Envelope env = e.envelope;
    if (trace != null) {
      trace.addLast(now + " " + env.from() + " -> " + env.to() + " " + env.message());
      if (trace.size() > traceSize) {
        trace.removeFirst();
      }
    }
    NodeId to = env.to();
    if (stopped(to)) {
      bounce(env);
    } else if (blocked(env.from(), to)) {
      blockedOrBounced(env);
    } else {
      var node = nodes.get(to);
      apply(to, node.handle(now, env));
    }
    runChecks();
    return true;
  }

  private void runChecks() {
    for (var c : afterStep) {
      c.accept(this);
    }
  }

  /** Turns the per-node timer on (period {@code tickMs}) or off (0) from now on. */
  public void setTicks(long tickMs) {
    this.tickMs = tickMs;
    this.nextTickAt = now + tickMs;
  }

  /** Runs until {@code time} (virtual ms) is reached. */
  public void runUntil(long time) {
    while (now < time) {
      Event e = queue.peek();
      boolean ticks = tickMs > 0;
      long next = Math.min(e == null ? Long.MAX_VALUE : e.time,
          ticks ? nextTickAt : Long.MAX_VALUE);
      if (next > time) {
        now = time;
        return;
      }
      step();
    }
  }

  public void runFor(long duration) {
    runUntil(now + duration);
  }

  /**
   * Runs until no message is in flight and no node is busy with a structural change or a
   * pending operation, or until {@code maxDuration} passes. Returns true if it got quiet.
   */
  public boolean runUntilQuiet(long maxDuration) {
    long limit = now + maxDuration;
    while (now <= limit) {
      if (inFlight == 0 && held.isEmpty() && allIdle()) {
        return true;
      }
      if (!step()) {
        return allIdle();
      }
    }
    return false;
  }

  /** Runs until no message is in flight (cheap: does not ask the nodes whether they are busy). */
  public void runUntilNoMessages() {
    while ((inFlight > 0 || !queue.isEmpty()) && step()) {
      // keep going
    }
  }

  private boolean allIdle() {
    for (var n : nodes.values()) {
      if (!crashed.contains(n.self()) && (n.busy() || n.pendingRequests() > 0)) {
        return false;
      }
    }
    return true;
  }

  private void apply(NodeId from, Effects effects) {
    for (var env : effects.sends()) {
      send(env);
    }
    for (var ev : effects.events()) {
      if (ev instanceof NodeEvent.OperationCompleted c) {
        completions.put(c.reqId(), new Completion(c.result(), c.hops(), now));
      } else if (ev instanceof NodeEvent.Left) {
        leftAt.put(from, now);
      }
      for (var l : listeners) {
        l.onEvent(from, ev);
      }
    }
  }

  private void send(Envelope env) {
    messagesSent++;
    sentByType.computeIfAbsent(env.message().getClass(), k -> new long[1])[0]++;
    Message m = env.message();
    if (m.droppable() && config.lossRate() > 0 && random.nextDouble() < config.lossRate()) {
      return;
    }
    if (!nodes.containsKey(env.to()) || stopped(env.to())) {
      bounce(env);
      return;
    }
    if (blocked(env.from(), env.to())) {
      blockedOrBounced(env);
      return;
    }
    enqueue(env);
  }

  /**
   * Across a partition, droppable messages fail at once (their senders retry end to end);
   * reliable ones wait for the partition to heal, as TCP retransmission would.
   */
  private void blockedOrBounced(Envelope env) {
    if (env.message().droppable()) {
      bounce(env);
    } else {
      held.add(env);
    }
  }

  /**
   * Crashed nodes, nodes that fenced themselves off and (if so configured) nodes that left
   * refuse connections.
   */
  private boolean stopped(NodeId id) {
    var status = nodes.get(id).status();
    return crashed.contains(id) || status == BatonProtocol.Status.FENCED
        || (status == BatonProtocol.Status.LEFT && config.stopAfterLeaveMs() >= 0
            && now - leftAt.getOrDefault(id, now) >= config.stopAfterLeaveMs());
  }

  private void bounce(Envelope env) {
    if (env.message() instanceof Undeliverable || crashed.contains(env.from())) {
      return;
    }
    enqueue(new Envelope(env.from(), env.from(), new Undeliverable(env.to(), env.message())));
  }

  private void enqueue(Envelope env) {
    long delay = config.minDelayMs()
        + random.nextLong(config.maxDelayMs() - config.minDelayMs() + 1);
    // an odd multiplier keeps the key unique and spreads it (Long.hashCode of the raw
    // from/to pair is from ^ to, which collides all the time)
    long channel = (((long) index.getOrDefault(env.from(), -1) << 32)
        ^ (index.getOrDefault(env.to(), -1) & 0xffffffffL)) * 0x9E3779B97F4A7C15L;
    long at = Math.max(now + delay, channelClock.getOrDefault(channel, 0L));
    channelClock.put(channel, at);
    queue.add(new Event(at, seq++, env));
    inFlight++;
  }

  private boolean blocked(NodeId a, NodeId b) {
    if (partition.isEmpty() || a.equals(b)) {
      return false;
    }
    return !partition.getOrDefault(a, 0).equals(partition.getOrDefault(b, 0));
  }

  // ---- views ----

  /** Keeps the last {@code n} delivered messages for {@link #trace()} (debugging aid). */
  public void keepTrace(int n) {
    trace = new java.util.ArrayDeque<>();
    traceSize = n;
  }

  public List<String> trace() {
    return trace == null ? List.of() : List.copyOf(trace);
  }

  public long now() {
    return now;
  }

  public BatonProtocol node(NodeId id) {
    return nodes.get(id);
  }

  public Collection<BatonProtocol> nodes() {
    return nodes.values();
  }

  public boolean isCrashed(NodeId id) {
    return crashed.contains(id);
  }

  /** Live nodes that hold a position (active or about to leave). */
  public List<BatonProtocol> activeNodes() {
    var list = new ArrayList<BatonProtocol>();
    for (var n : nodes.values()) {
      if (!crashed.contains(n.self()) && (n.status() == BatonProtocol.Status.ACTIVE
          || n.status() == BatonProtocol.Status.LEAVING)) {
        list.add(n);
      }
    }
    return list;
  }

  /** Messages in flight, for invariant checks. */
  public List<Envelope> inFlightMessages() {
    var list = new ArrayList<Envelope>();
    for (var e : queue) {
      list.add(e.envelope);
    }
    list.addAll(held);
    return list;
  }

  public long messagesSent() {
    return messagesSent;
  }

  public Map<String, Long> sentByType() {
    var m = new TreeMap<String, Long>();
    sentByType.forEach((c, n) -> m.merge(c.getSimpleName(), n[0], Long::sum));
    return Map.copyOf(m);
  }

  public SplittableRandom random() {
    return random;
  }

  private record Event(long time, long seq, Envelope envelope) implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      int c = Long.compare(time, o.time);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
