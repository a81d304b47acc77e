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
  private SimConfig config;
  private final ProtocolConfig protocolConfig;
  private final SplittableRandom random;
  /** Every node ever created, by id; {@link #order} holds the same in creation order. */
  private final Map<NodeId, Slot> slots = new HashMap<>();
  private final List<Slot> order = new ArrayList<>();
  private final Collection<BatonProtocol> nodeView = new java.util.AbstractCollection<>() {
    @Override
    public java.util.Iterator<BatonProtocol> iterator() {
      var it = order.iterator();
      return new java.util.Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public BatonProtocol next() {
          return it.next().node;
        }
      };
    }

    @Override
    public int size() {
      return order.size();
    }
  };
  private final Map<NodeId, Integer> partition = new HashMap<>();
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private final List<Envelope> held = new ArrayList<>();
  private final ChannelClocks channelClock = new ChannelClocks();
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
    var slot = new Slot(new BatonProtocol(id, protocolConfig, random.split()), nextNodeNumber);
    nextNodeNumber++;
    slots.put(id, slot);
    order.add(slot);
    return id;
  }

  public NodeId addRoot() {
    var id = createNode();
    apply(id, node(id).startAsRoot(now));
    return id;
  }

  /** Creates a node and starts its join through {@code accessPoint}. */
  public NodeId addJoining(NodeId accessPoint) {
    var id = createNode();
    apply(id, node(id).join(now, accessPoint));
    return id;
  }

  /** Starts another join attempt of an existing (outside) node. */
  public void rejoin(NodeId id, NodeId accessPoint) {
    apply(id, node(id).join(now, accessPoint));
  }

  public void leave(NodeId id) {
    apply(id, node(id).leave(now));
  }

  /** Stops a node dead: it handles nothing more; messages to it bounce. */
  public void crash(NodeId id) {
    slots.get(id).crashed = true;
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
      if (isCrashed(env.to())) {
        bounce(env);
      } else {
        enqueue(env);
      }
    }
  }

  /** Starts a client operation at {@code origin}; see {@link #completion(long)}. */
  public long submit(NodeId origin, Operation op) {
    long reqId = nextReqId++;
    apply(origin, node(origin).submit(now, reqId, op));
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
      // nodes are only ever added, never while a tick is being delivered
      for (int i = 0, count = order.size(); i < count; i++) {
        var slot = order.get(i);
        if (!slot.crashed) {
          var n = slot.node;
          apply(slot, n.handle(now, new Envelope(n.self(), n.self(), TICK)));
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
    Slot target = e.to;
    if (stopped(target)) {
      bounce(env);
    } else if (blocked(env.from(), to)) {
      blockedOrBounced(env);
    } else {
      apply(target, target.node.handle(now, env));
    }
    runChecks();
    return true;
  }

  private void runChecks() {
    for (var c : afterStep) {
      c.accept(this);
    }
  }

  /**
   * Changes the network model from now on (delays, loss); messages in flight keep their
   * delivery times. The timer period stays as it is (see {@link #setTicks}).
   */
  public void setNetwork(SimConfig network) {
    this.config = network;
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
    for (var slot : order) {
      var n = slot.node;
      if (!slot.crashed && (n.busy() || n.pendingRequests() > 0)) {
        return false;
      }
    }
    return true;
  }

  private void apply(NodeId from, Effects effects) {
    apply(slots.get(from), effects);
  }

  /** Carries out what node {@code source} produced: its messages and its events. */
  private void apply(Slot source, Effects effects) {
    NodeId from = source.node.self();
    for (var env : effects.sends()) {
      send(env, source);
    }
    for (var ev : effects.events()) {
      if (ev instanceof NodeEvent.OperationCompleted c) {
        completions.put(c.reqId(), new Completion(c.result(), c.hops(), now));
      } else if (ev instanceof NodeEvent.Left) {
        source.leftAt = now;
      }
      for (var l : listeners) {
        l.onEvent(from, ev);
      }
    }
  }

  private void send(Envelope env, Slot source) {
    messagesSent++;
    sentByType.computeIfAbsent(env.message().getClass(), k -> new long[1])[0]++;
    Message m = env.message();
    if (m.droppable() && config.lossRate() > 0 && random.nextDouble() < config.lossRate()) {
      return;
    }
    Slot target = slots.get(env.to());
    if (target == null || stopped(target)) {
      bounce(env);
      return;
    }
    if (blocked(env.from(), env.to())) {
      blockedOrBounced(env);
      return;
    }
    enqueue(env, source, target);
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
  private boolean stopped(Slot slot) {
    if (slot.crashed) {
      return true;
    }
    var status = slot.node.status();
    return status == BatonProtocol.Status.FENCED
        || (status == BatonProtocol.Status.LEFT && config.stopAfterLeaveMs() >= 0
            && now - (slot.leftAt == NEVER ? now : slot.leftAt) >= config.stopAfterLeaveMs());
  }

  private void bounce(Envelope env) {
    if (env.message() instanceof Undeliverable || isCrashed(env.from())) {
      return;
    }
    enqueue(new Envelope(env.from(), env.from(), new Undeliverable(env.to(), env.message())));
  }

  private void enqueue(Envelope env) {
    enqueue(env, slots.get(env.from()), slots.get(env.to()));
  }

  private void enqueue(Envelope env, Slot source, Slot target) {
    long delay = config.minDelayMs()
        + random.nextLong(config.maxDelayMs() - config.minDelayMs() + 1);
    // an odd multiplier keeps the key unique and spreads it
    long channel = (((long) (source == null ? -1 : source.index) << 32)
        ^ ((target == null ? -1 : target.index) & 0xffffffffL)) * 0x9E3779B97F4A7C15L;
    long at = Math.max(now + delay, channelClock.get(channel));
    channelClock.put(channel, at, now);
    queue.add(new Event(at, seq++, env, target));
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
    var slot = slots.get(id);
    return slot == null ? null : slot.node;
  }

  /** Every node ever created, in creation order (a read-only view). */
  public Collection<BatonProtocol> nodes() {
    return nodeView;
  }

  public boolean isCrashed(NodeId id) {
    var slot = slots.get(id);
    return slot != null && slot.crashed;
  }

  /** Live nodes that hold a position (active or about to leave). */
  public List<BatonProtocol> activeNodes() {
    var list = new ArrayList<BatonProtocol>();
    for (var slot : order) {
      var n = slot.node;
      if (!slot.crashed && (n.status() == BatonProtocol.Status.ACTIVE
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

  /** A message due at {@code time}; {@code to} is its target's slot, looked up once. */
  private record Event(long time, long seq, Envelope envelope, Slot to)
      implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      int c = Long.compare(time, o.time);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private static final long NEVER = Long.MIN_VALUE;
  private static final Tick TICK = new Tick();

  /** One simulated node and what the simulator knows of it. */
  private static final class Slot {
    final BatonProtocol node;
    /** Creation number: identifies the node's channels. */
    final int index;
    boolean crashed;
    /** When the node reported that it left; {@link #NEVER} if it has not. */
    long leftAt = NEVER;

    Slot(BatonProtocol node, int index) {
      this.node = node;
      this.index = index;
    }
  }
}
