package io.peersql.baton.sim;

import io.peersql.baton.ByteString;
import io.peersql.baton.IndexEntry;
import io.peersql.baton.OrderedKey;
import io.peersql.baton.core.BatonProtocol;
import io.peersql.baton.core.Message.Ack;
import io.peersql.baton.core.Message.Put;
import io.peersql.baton.core.Message.Remove;
import io.peersql.baton.core.NodeEvent;
import io.peersql.baton.core.NodeId;
import io.peersql.baton.core.ProtocolConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A random run of joins, leaves, crashes, partitions and index writes over the simulator,
 * with the tree invariants checked after every step and the strong invariants at the end.
 */
final class ChurnScenario {
  final Simulator sim;
  final Map<IndexEntry, Boolean> acked = new LinkedHashMap<>();
  private final Map<Long, PendingWrite> writes = new HashMap<>();
  private final List<NodeId> members = new ArrayList<>();
  private int entryCounter;
  int joins;
  int leaves;
  int crashes;
  int isolations;
  /** Nodes that joined again without having been pushed out: light leaves moved by load balancing. */
  int loadMoves;
  private final java.util.Set<NodeId> joinedOnce = new java.util.HashSet<>();
  private final java.util.Set<NodeId> aborted = new java.util.HashSet<>();

  private record PendingWrite(IndexEntry entry, boolean put) {}

  ChurnScenario(long seed, double loss) {
    this(seed, loss, -1);
  }

  /** {@code stopAfterLeaveMs}: see {@link SimConfig#stopAfterLeaveMs()}. */
  ChurnScenario(long seed, double loss, long stopAfterLeaveMs) {
    this(seed, loss, stopAfterLeaveMs, ProtocolConfig.simulation().loadBalanceThreshold());
  }

  /** {@code loadBalanceThreshold}: see {@link ProtocolConfig}; low values move load often. */
  ChurnScenario(long seed, double loss, long stopAfterLeaveMs, int loadBalanceThreshold) {
    sim = new Simulator(seed, SimConfig.standard().withLoss(loss).withStopAfterLeave(stopAfterLeaveMs),
        ProtocolConfig.simulation().withLoadBalanceThreshold(loadBalanceThreshold));
    sim.onEvent((node, ev) -> {
      if (ev instanceof NodeEvent.OperationCompleted c) {
        var w = writes.remove(c.reqId());
        if (w != null && c.result() instanceof Ack) {
          acked.put(w.entry, w.put);
        }
      } else if (ev instanceof NodeEvent.Joined) {
        if (!joinedOnce.add(node) && !aborted.remove(node)) {
          loadMoves++;
        }
      } else if (ev instanceof NodeEvent.JoinAborted) {
        aborted.add(node);
        var live = liveActive();
        if (!live.isEmpty()) {
          sim.rejoin(node, live.get(sim.random().nextInt(live.size())));
        }
      }
    });
    sim.onStep(s -> TreeInvariants.checkStep(s, acked));
  }

  List<NodeId> liveActive() {
    var list = new ArrayList<NodeId>();
    for (var n : sim.activeNodes()) {
      list.add(n.self());
    }
    return list;
  }

  void build(int n) {
    members.add(sim.addRoot());
    for (int i = 1; i < n; i++) {
      var live = liveActive();
      members.add(sim.addJoining(live.get(sim.random().nextInt(live.size()))));
      sim.runFor(30);
    }
    sim.runUntilQuiet(60_000);
  }

  void run(int rounds, boolean failures, boolean partitions) {
    var r = sim.random();
    for (int round = 0; round < rounds; round++) {
      var live = liveActive();
      double x = r.nextDouble();
      if (x < 0.15 || live.size() < 6) {
        members.add(sim.addJoining(live.get(r.nextInt(live.size()))));
        joins++;
      } else if (x < 0.27) {
        sim.leave(live.get(r.nextInt(live.size())));
        leaves++;
      } else if (x < 0.32 && failures && noFailureOutstanding()) {
        sim.crash(live.get(r.nextInt(live.size())));
        crashes++;
      } else if (x < 0.35 && partitions && noFailureOutstanding()) {
        isolateBriefly(live);
        isolations++;
      } else if (x < 0.40 && partitions && noFailureOutstanding()) {
        isolations++;
        var victim = live.get(r.nextInt(live.size()));
        sim.partition(Map.of(victim, 1));
        sim.runFor(4_000);
        sim.heal();
      } else if (x < 0.85) {
        var e = new IndexEntry(OrderedKey.of("t" + r.nextInt(3), "col", (long) r.nextInt(1000)),
            ByteString.ofUtf8("v" + entryCounter++));
        writes.put(sim.submit(live.get(r.nextInt(live.size())), new Put(e.key(), e.value())),
            new PendingWrite(e, true));
      } else {
        var present = acked.entrySet().stream().filter(Map.Entry::getValue).toList();
        if (!present.isEmpty()) {
          var e = present.get(r.nextInt(present.size())).getKey();
          if (writes.values().stream().noneMatch(w -> w.entry.equals(e))) {
            acked.remove(e); // while the remove is in flight the entry may or may not exist
            writes.put(sim.submit(live.get(r.nextInt(live.size())), new Remove(e.key(), e.value())),
                new PendingWrite(e, false));
          }
        }
      }
      sim.runFor(r.nextLong(200));
    }
  }

  private void isolateBriefly(List<NodeId> live) {
    var groups = new HashMap<NodeId, Integer>();
    for (var n : live) {
      groups.put(n, sim.random().nextInt(2));
    }
    sim.partition(groups);
    sim.runFor(150);
    sim.heal();
  }

  /** Only one failure at a time: a single failure must lose nothing. */
  private boolean noFailureOutstanding() {
    for (var n : sim.nodes()) {
      if ((sim.isCrashed(n.self()) || n.status() == BatonProtocol.Status.FENCED)
          && linkedByAnyone(n.self())) {
        return false;
      }
    }
    return true;
  }

  private boolean linkedByAnyone(NodeId id) {
    for (var n : sim.activeNodes()) {
      for (var l : new io.peersql.baton.core.Link[] {n.parent(), n.leftChild(), n.rightChild(),
          n.leftAdjacent(), n.rightAdjacent()}) {
        if (l != null && l.node().equals(id)) {
          return true;
        }
      }
    }
    return false;
  }

  /** True if any live node names {@code id} as a tree link or in a routing table. */
  boolean linkedOrRoutedByAnyone(NodeId id) {
    if (linkedByAnyone(id)) {
      return true;
    }
    for (var n : sim.activeNodes()) {
      for (var side : io.peersql.baton.core.Side.values()) {
        for (int i = 0; i < n.routingTableSize(side); i++) {
          var e = n.routingEntry(side, i);
          if (e != null && e.node().equals(id)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  void settle() {
    sim.heal();
    sim.runFor(6_000); // long enough for silent nodes to be suspected and repaired
    if (!sim.runUntilQuiet(120_000)) {
      throw new AssertionError("network did not settle; busy nodes: " + busy());
    }
    TreeInvariants.checkQuiet(sim, acked, crashes == 0 && isolations == 0);
  }

  String busy() {
    var sb = new StringBuilder();
    for (var n : sim.nodes()) {
      if (!sim.isCrashed(n.self()) && (n.busy() || n.pendingRequests() > 0)) {
        sb.append(n.debugState()).append(";\n ");
      }
    }
    return sb.toString();
  }
}
