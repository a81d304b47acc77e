package io.peersql.baton.sim;

import io.peersql.baton.IndexEntry;
import io.peersql.baton.OrderedKey;
import io.peersql.baton.core.BatonProtocol;
import io.peersql.baton.core.Envelope;
import io.peersql.baton.core.KeyRange;
import io.peersql.baton.core.Link;
import io.peersql.baton.core.Message.AbsorbRange;
import io.peersql.baton.core.Message.Commit;
import io.peersql.baton.core.Message.JoinAccepted;
import io.peersql.baton.core.Message.JoinDeclined;
import io.peersql.baton.core.Message.ReplicaSnapshot;
import io.peersql.baton.core.Message.TakeOver;
import io.peersql.baton.core.NodeId;
import io.peersql.baton.core.Position;
import io.peersql.baton.core.Side;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tree invariants, checked against a simulator's global view.
 *
 * <p>{@link #checkStep} holds after every single simulated step, even while structural
 * changes are in flight: ranges never overlap, every key is owned by a live node or carried
 * by an in-flight transfer or covered by a failed node awaiting repair; positions are unique;
 * the set of occupied positions forms a height-balanced tree; stored keys lie in their
 * node's range; and every acknowledged entry exists somewhere (owner, replica or transfer).
 *
 * <p>{@link #checkQuiet} holds once the network is quiet: in addition, ranges tile the key
 * space exactly in in-order, every parent, child, adjacent and routing link points at the
 * node that holds that position, and every acknowledged entry is at its owner.
 */
public final class TreeInvariants {
  private TreeInvariants() {}

  /** Thrown when an invariant does not hold. */
  public static final class Violation extends RuntimeException {
    Violation(String message) {
      super(message);
    }
  }

  public static void checkStep(Simulator sim, Map<IndexEntry, Boolean> acked) {
    var active = sim.activeNodes();
    var inFlight = sim.inFlightMessages();
    // ranges: live, in flight, carried by moving nodes
    var held = new ArrayList<Held>();
    var positions = new HashMap<Position, NodeId>();
    for (var n : active) {
      held.add(new Held(n.range(), n.self().toString()));
      var prev = positions.put(n.position(), n.self());
      if (prev != null) {
        throw new Violation("position " + n.position() + " held by " + prev + " and " + n.self());
      }
      for (var e : n.entries().all()) {
        if (!n.range().contains(e.key())) {
          throw new Violation(n.self() + " stores key " + e.key() + " outside " + n.range());
        }
      }
    }
    var inFlightPositions = new HashSet<Position>();
    for (var env : inFlight) {
      switch (env.message()) {
        case JoinAccepted a -> {
          held.add(new Held(a.self().range(), "JoinAccepted->" + env.to()));
          inFlightPositions.add(a.self().position());
        }
        case TakeOver t -> {
          held.add(new Held(t.state().info().range(), "TakeOver->" + env.to()));
          inFlightPositions.add(t.state().info().position());
        }
        case Commit c -> {
          for (var ch : c.changes()) {
            if (ch instanceof AbsorbRange a) {
              held.add(new Held(a.range(), "AbsorbRange->" + env.to()));
            }
          }
        }
        default -> { }
      }
    }
    for (var n : sim.nodes()) {
      if (!sim.isCrashed(n.self()) && n.status() == BatonProtocol.Status.IN_TRANSIT) {
        for (var r : n.rangesInTransit()) {
          held.add(new Held(r, "transit " + n.self()));
        }
      }
    }
    var failed = failedInStructure(sim, active);
    // places handed back by their newcomer (JoinDeclined): like a failed node's, their
    // ranges await removal by the parent, which holds them as a replica
    var declined = new HashMap<Position, KeyRange>();
    for (var n : active) {
      declined.putAll(n.declinedRanges());
    }
    for (var env : inFlight) {
      if (env.message() instanceof JoinDeclined d) {
        var parent = sim.node(env.to());
        var rep = parent == null || sim.isCrashed(env.to()) ? null
            : parent.replicas().get(env.from());
        if (rep != null && rep.range() != null) {
          declined.put(d.position(), rep.range());
        }
      }
    }
    var awaiting = new ArrayList<KeyRange>();
    for (var f : failed) {
      if (f.range() != null) {
        awaiting.add(f.range());
      }
    }
    awaiting.addAll(declined.values());
    held.removeIf(h -> h.range.isEmpty());
    held.sort(Comparator.comparing((Held h) -> h.range.low()));
    OrderedKey cursor = OrderedKey.MIN;
    boolean toInfinity = false;
    for (var h : held) {
      int c = h.range.low().compareTo(cursor);
      if (c < 0) {
        throw new Violation("range " + h.range + " of " + h.who + " overlaps another range");
      }
      if (c > 0 && !coveredByFailed(cursor, h.range.low(), awaiting)) {
        throw new Violation("keys [" + cursor + ", " + h.range.low() + ") owned by nobody");
      }
      if (h.range.high() == null) {
        toInfinity = true;
        cursor = null;
        break;
      }
      cursor = h.range.high();
    }
    if (!toInfinity && !held.isEmpty() && !coveredByFailed(cursor, null, awaiting)) {
      throw new Violation("keys [" + cursor + ", +inf) owned by nobody");
    }
    // balance over occupied positions
    var occupied = new HashSet<>(positions.keySet());
    occupied.addAll(inFlightPositions);
    for (var f : failed) {
      occupied.add(f.position());
    }
    occupied.addAll(declined.keySet());
    checkBalanced(occupied);
    if (acked != null) {
      checkEntriesSomewhere(sim, active, inFlight, acked);
    }
  }

  public static void checkQuiet(Simulator sim, Map<IndexEntry, Boolean> acked) {
    checkQuiet(sim, acked, true);
  }

  /**
   * As {@link #checkQuiet(Simulator, Map)}; with {@code strictRouting} false, a routing entry
   * may still be empty or name a node that no longer holds that position (after failure
   * repairs, routing tables heal lazily), but it may never name a different live position.
   */
  public static void checkQuiet(Simulator sim, Map<IndexEntry, Boolean> acked,
      boolean strictRouting) {
    checkStep(sim, acked);
    var active = new ArrayList<>(sim.activeNodes());
    if (!failedInStructure(sim, active).isEmpty()) {
      throw new Violation("failed nodes still linked: " + failedInStructure(sim, active));
    }
    active.sort(Comparator.comparing(BatonProtocol::position));
    var byPos = new HashMap<Position, BatonProtocol>();
    for (var n : active) {
      byPos.put(n.position(), n);
    }
    for (int i = 0; i < active.size(); i++) {
      var n = active.get(i);
      var prev = i == 0 ? null : active.get(i - 1);
      var next = i == active.size() - 1 ? null : active.get(i + 1);
      KeyRange r = n.range();
      if (prev == null ? !r.low().equals(OrderedKey.MIN) : !prev.range().high().equals(r.low())) {
        throw new Violation("ranges out of in-order at " + n + " after " + prev);
      }
      if (next == null && r.high() != null) {
        throw new Violation("last node " + n + " does not reach +inf");
      }
      expectLink(n, "leftAdjacent", n.leftAdjacent(), prev);
      expectLink(n, "rightAdjacent", n.rightAdjacent(), next);
      var pp = n.position().parent();
      expectLink(n, "parent", n.parent(), pp == null ? null : byPos.get(pp));
      expectLink(n, "leftChild", n.leftChild(), byPos.get(n.position().child(Side.LEFT)));
      expectLink(n, "rightChild", n.rightChild(), byPos.get(n.position().child(Side.RIGHT)));
      for (Side s : Side.values()) {
        for (int j = 0; j < n.routingTableSize(s); j++) {
          var e = n.routingEntry(s, j);
          var want = byPos.get(n.position().neighbour(s, j));
          var got = e == null ? null : e.node();
          boolean stale = !strictRouting && (got == null || sim.node(got).position() == null
              || sim.isCrashed(got) || sim.node(got).status() != BatonProtocol.Status.ACTIVE
              && sim.node(got).status() != BatonProtocol.Status.LEAVING
              || !sim.node(got).position().equals(
                  n.position().neighbour(s, j)));
          if (!stale && (want == null ? got != null : !want.self().equals(got))) {
            throw new Violation(n + " routing " + s + "[" + j + "] is " + got + ", want "
                + (want == null ? null : want.self()));
          }
        }
      }
    }
    if (acked != null) {
      for (var e : acked.entrySet()) {
        var owner = ownerOf(active, e.getKey().key());
        boolean has = owner != null && owner.entries().contains(e.getKey().key(),
            e.getKey().value());
        if (has != e.getValue()) {
          throw new Violation("entry " + e.getKey() + (e.getValue() ? " missing at " : " still at ")
              + owner);
        }
      }
    }
  }

  private static void expectLink(BatonProtocol n, String what, Link l, BatonProtocol want) {
    NodeId got = l == null ? null : l.node();
    NodeId w = want == null ? null : want.self();
    if (got == null ? w != null : !got.equals(w)) {
      throw new Violation(n + " " + what + " is " + got + ", want " + w);
    }
  }

  /** Failed nodes whose positions still await repair (live nodes still link to them). */
  public static int unrepairedFailures(Simulator sim) {
    return failedInStructure(sim, sim.activeNodes()).size();
  }

  /**
   * Crashed (or fenced) nodes that live nodes still link to, directly or through other failed
   * nodes: their positions and ranges await repair.
   */
  private static List<BatonProtocol> failedInStructure(Simulator sim, List<BatonProtocol> active) {
    var linked = new HashSet<NodeId>();
    for (var n : active) {
      for (var l : new Link[] {n.parent(), n.leftChild(), n.rightChild(), n.leftAdjacent(),
          n.rightAdjacent()}) {
        if (l != null) {
          linked.add(l.node());
        }
      }
    }
    for (var env : sim.inFlightMessages()) {
      if (env.message() instanceof TakeOver t) {
        var st = t.state();
        for (var l : new Link[] {st.parent(), st.leftChild(), st.rightChild(), st.leftAdjacent(),
            st.rightAdjacent()}) {
          if (l != null) {
            linked.add(l.node());
          }
        }
      }
    }
    // A failed node linked only by other failed nodes (a leaf whose parent and adjacent
    // nodes all failed with it) awaits repair just as well: the repair of a neighbour hands
    // its replacement links to it. So follow the failed nodes' own links too.
    var out = new ArrayList<BatonProtocol>();
    var seen = new HashSet<NodeId>();
    var todo = new java.util.ArrayDeque<>(linked);
    while (!todo.isEmpty()) {
      var id = todo.poll();
      var n = sim.node(id);
      if (!seen.add(id) || n == null || n.position() == null
          || !sim.isCrashed(id) && n.status() != BatonProtocol.Status.FENCED) {
        continue;
      }
      out.add(n);
      for (var l : new Link[] {n.parent(), n.leftChild(), n.rightChild(), n.leftAdjacent(),
          n.rightAdjacent()}) {
        if (l != null) {
          todo.add(l.node());
        }
      }
    }
    return out;
  }

  private static boolean coveredByFailed(OrderedKey from, OrderedKey to, List<KeyRange> awaiting) {
    // the gap [from, to) must be covered by the union of the ranges awaiting repair (failed
    // nodes' last ranges, declined places)
    var ranges = new ArrayList<>(awaiting);
    ranges.sort(Comparator.comparing(KeyRange::low));
    OrderedKey cur = from;
    for (var r : ranges) {
      if (r.low().compareTo(cur) <= 0 && (r.high() == null || r.high().compareTo(cur) > 0)) {
        if (r.high() == null) {
          return true;
        }
        cur = r.high();
        if (to != null && cur.compareTo(to) >= 0) {
          return true;
        }
      }
    }
    return to != null && cur.compareTo(to) >= 0;
  }

  static void checkBalanced(Set<Position> occupied) {
    var height = new HashMap<Position, Integer>();
    var byLevel = new ArrayList<>(occupied);
    byLevel.sort(Comparator.comparingInt(Position::level).reversed());
    for (var p : byLevel) {
      if (!p.isRoot() && !occupied.contains(p.parent())) {
        throw new Violation("position " + p + " has no parent");
      }
      int hl = height.getOrDefault(p.child(Side.LEFT), 0);
      int hr = height.getOrDefault(p.child(Side.RIGHT), 0);
      if (Math.abs(hl - hr) > 1) {
        throw new Violation("unbalanced at " + p + ": left height " + hl + ", right " + hr);
      }
      height.put(p, 1 + Math.max(hl, hr));
    }
  }

  private static void checkEntriesSomewhere(Simulator sim, List<BatonProtocol> active,
      List<Envelope> inFlight, Map<IndexEntry, Boolean> acked) {
    var sorted = new ArrayList<>(active);
    sorted.sort(Comparator.comparing(n -> n.range().low()));
    Set<IndexEntry> moving = null;
    for (var e : acked.entrySet()) {
      if (!e.getValue()) {
        continue;
      }
      var entry = e.getKey();
      var owner = ownerOfSorted(sorted, entry.key());
      if (owner != null && owner.entries().contains(entry.key(), entry.value())) {
        continue;
      }
      boolean replicated = false;
      for (var n : active) {
        for (var rep : n.replicas().values()) {
          if (rep.entries().contains(entry.key(), entry.value())) {
            replicated = true;
          }
        }
      }
      if (replicated) {
        continue;
      }
      if (moving == null) {
        moving = movingEntries(sim, inFlight);
      }
      if (!moving.contains(entry)) {
        throw new Violation("acknowledged entry " + entry + " lost (owner " + owner + ")");
      }
    }
  }

  private static Set<IndexEntry> movingEntries(Simulator sim, List<Envelope> inFlight) {
    var set = new HashSet<IndexEntry>();
    for (var env : inFlight) {
      switch (env.message()) {
        case JoinAccepted a -> set.addAll(a.entries());
        case TakeOver t -> {
          // and the replicas the departing node held: the only copy of a failed
          // neighbour's entries may be among them
          set.addAll(t.entries());
          t.replicas().forEach(r -> set.addAll(r.entries()));
        }
        case ReplicaSnapshot s -> set.addAll(s.entries());
        case Commit c -> {
          for (var ch : c.changes()) {
            if (ch instanceof AbsorbRange a) {
              set.addAll(a.entries());
            }
          }
        }
        default -> { }
      }
    }
    for (var n : sim.nodes()) {
      if (!sim.isCrashed(n.self())) {
        set.addAll(n.entriesInTransit());
      }
    }
    return set;
  }

  static BatonProtocol ownerOf(List<BatonProtocol> active, OrderedKey k) {
    for (var n : active) {
      if (n.range().contains(k)) {
        return n;
      }
    }
    return null;
  }

  private static BatonProtocol ownerOfSorted(List<BatonProtocol> sorted, OrderedKey k) {
    int lo = 0;
    int hi = sorted.size() - 1;
    BatonProtocol best = null;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted.get(mid).range().low().compareTo(k) <= 0) {
        best = sorted.get(mid);
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    // empty ranges share their low with the next range: step to the one that contains k
    if (best != null && !best.range().contains(k)) {
      return ownerOf(sorted, k);
    }
    return best;
  }

  private record Held(KeyRange range, String who) {}
}
