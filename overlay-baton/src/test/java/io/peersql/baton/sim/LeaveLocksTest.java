package io.peersql.baton.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.baton.core.BatonProtocol;
import io.peersql.baton.core.NodeId;
import io.peersql.baton.core.NodeInfo;
import io.peersql.baton.core.ProtocolConfig;
import io.peersql.baton.core.Side;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A leaf's leave locks its parent, its other adjacent node and its routing neighbours. The
 * routing neighbours drop the leaf from their tables as they grant (their tables are then not
 * full, so they take no child meanwhile) and get no commit; a leave that is called off gives
 * the entries back with its unlock. Timers are off, so nothing is retried or repaired.
 */
class LeaveLocksTest {

  private final Simulator sim =
      new Simulator(3, SimConfig.standard().withTicks(0), ProtocolConfig.simulation());

  private List<NodeId> build(int n) {
    var ids = new ArrayList<NodeId>();
    ids.add(sim.addRoot());
    for (int i = 1; i < n; i++) {
      ids.add(sim.addJoining(ids.get(sim.random().nextInt(ids.size()))));
      assertThat(sim.runUntilQuiet(100_000)).isTrue();
    }
    return ids;
  }

  /** The distinct routing neighbours of a leaf that may leave without a replacement, or null. */
  private Set<NodeId> directLeaver(BatonProtocol n) {
    if (n.status() != BatonProtocol.Status.ACTIVE || n.parent() == null
        || n.leftChild() != null || n.rightChild() != null) {
      return null;
    }
    var neighbours = new HashSet<NodeId>();
    for (Side side : Side.values()) {
      for (int i = 0; i < n.routingTableSize(side); i++) {
        NodeInfo e = n.routingEntry(side, i);
        if (e != null) {
          if (sim.node(e.node()).leftChild() != null || sim.node(e.node()).rightChild() != null) {
            return null;
          }
          neighbours.add(e.node());
        }
      }
    }
    return neighbours;
  }

  private Map<String, Long> sentSince(Map<String, Long> before) {
    var delta = new HashMap<String, Long>();
    sim.sentByType().forEach((k, v) -> delta.put(k, v - before.getOrDefault(k, 0L)));
    return delta;
  }

  private boolean anyoneRoutesTo(NodeId node) {
    for (var n : sim.activeNodes()) {
      for (Side side : Side.values()) {
        for (int i = 0; i < n.routingTableSize(side); i++) {
          var e = n.routingEntry(side, i);
          if (e != null && e.node().equals(node)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Test
  void routingNeighboursDropALeavingLeafAsTheyGrantAndGetNoCommit() {
    build(100);
    int measured = 0;
    for (int round = 0; round < 5; round++) {
      BatonProtocol leaf = null;
      Set<NodeId> neighbours = null;
      for (var n : sim.activeNodes()) {
        var ns = directLeaver(n);
        if (ns != null && ns.size() >= 3) {
          leaf = n;
          neighbours = ns;
          break;
        }
      }
      assertThat(leaf).as("a leaf that can leave directly, round %d", round).isNotNull();
      var before = sim.sentByType();
      sim.leave(leaf.self());
      assertThat(sim.runUntilQuiet(100_000)).isTrue();
      var sent = sentSince(before);

      assertThat(leaf.status()).isEqualTo(BatonProtocol.Status.LEFT);
      assertThat(sent.getOrDefault("FindReplacement", 0L)).isZero();
      // parent, other adjacent node (if any) and every routing neighbour were asked ...
      assertThat(sent.get("LockRequest")).isGreaterThanOrEqualTo(neighbours.size() + 1L);
      // ... but only the parent and the other adjacent node get a commit
      assertThat(sent.getOrDefault("Commit", 0L)).isBetween(1L, 2L);
      assertThat(anyoneRoutesTo(leaf.self())).isFalse();
      TreeInvariants.checkQuiet(sim, null, true);
      measured++;
    }
    assertThat(measured).isEqualTo(5);
  }

  @Test
  void aLeaveCalledOffGivesTheRoutingEntriesBack() {
    build(100);
    BatonProtocol a = null;
    BatonProtocol b = null;
    for (var n : sim.activeNodes()) {
      if (directLeaver(n) != null && n.position().sideInParent() == Side.LEFT) {
        var parent = sim.node(n.parent().node());
        var sibling = parent.rightChild() == null ? null : sim.node(parent.rightChild().node());
        if (sibling != null && directLeaver(sibling) != null) {
          a = n;
          b = sibling;
          break;
        }
      }
    }
    assertThat(a).as("two sibling leaves that can leave directly").isNotNull();
    var before = sim.sentByType();
    // both start before either hears from the other
    sim.leave(a.self());
    sim.leave(b.self());
    // (not "quiet": both still want to leave, and without timers they never retry)
    sim.runUntilNoMessages();
    var sent = sentSince(before);

    // the parent grants one of them at most; whichever is refused calls its leave off (the
    // other may still leave, if the refused one is done before its lock request arrives)
    var calledOff = new ArrayList<BatonProtocol>();
    for (var n : List.of(a, b)) {
      if (n.status() == BatonProtocol.Status.ACTIVE) {
        calledOff.add(n);
      } else {
        assertThat(n.status()).isEqualTo(BatonProtocol.Status.LEFT);
      }
    }
    assertThat(calledOff).isNotEmpty();
    assertThat(sent.getOrDefault("Commit", 0L)).isBetween(calledOff.size() == 2 ? 0L : 1L,
        calledOff.size() == 2 ? 0L : 2L);
    // the routing neighbours that granted the called-off leave had dropped it; the unlocks put
    // it back
    assertThat(sent.get("Unlock")).isPositive();
    for (var n : calledOff) {
      assertThat(anyoneRoutesTo(n.self())).isTrue();
    }
    TreeInvariants.checkQuiet(sim, null, true);
  }
}
