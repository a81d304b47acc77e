package io.peersql.baton.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.baton.ByteString;
import io.peersql.baton.IndexEntry;
import io.peersql.baton.OrderedKey;
import io.peersql.baton.core.BatonProtocol;
import io.peersql.baton.core.Message.Ack;
import io.peersql.baton.core.Message.Entries;
import io.peersql.baton.core.Message.Get;
import io.peersql.baton.core.Message.Put;
import io.peersql.baton.core.Message.Scan;
import io.peersql.baton.core.Message.Values;
import io.peersql.baton.core.NodeId;
import io.peersql.baton.core.ProtocolConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadBalanceTest {

  @Test
  void overloadedNodeShiftsPartOfItsRangeToALighterAdjacentNode() {
    var config = ProtocolConfig.simulation().withLoadBalanceThreshold(20);
    var sim = new Simulator(7, SimConfig.standard(), config);
    Map<IndexEntry, Boolean> acked = new HashMap<>();
    sim.onStep(s -> TreeInvariants.checkStep(s, acked));
    var ids = new ArrayList<NodeId>();
    ids.add(sim.addRoot());
    for (int i = 0; i < 12; i++) {
      ids.add(sim.addJoining(ids.get(sim.random().nextInt(ids.size()))));
      sim.runUntilQuiet(60_000);
    }
    // 120 entries whose keys all fall into one node's range
    BatonProtocol hot = sim.activeNodes().get(3);
    crowd(sim, ids, List.of(hot), 120, acked);
    sim.runFor(20_000);
    sim.runUntilQuiet(60_000);
    TreeInvariants.checkQuiet(sim, acked);
    int max = sim.activeNodes().stream().mapToInt(n -> n.entries().size()).max().orElse(0);
    assertThat(max).as("largest node load after balancing, sizes %s",
        sim.activeNodes().stream().map(n -> n.entries().size()).toList()).isLessThanOrEqualTo(60);
    assertThat(sim.activeNodes().stream().filter(n -> !n.entries().isEmpty()).count())
        .isGreaterThan(1);
    long r = sim.submit(ids.get(0), new Scan(OrderedKey.MIN, null));
    sim.runUntilQuiet(60_000);
    assertThat(((Entries) sim.completion(r).result()).entries()).hasSize(120);
  }

  /**
   * Entries crowd into the ranges of three nodes in a row, so that the middle one's adjacent
   * nodes are as loaded as it is and range shifting cannot help it: a light leaf elsewhere
   * leaves and joins again as its child, taking half its range (BATON's second mechanism).
   */
  @Test
  void aLightLeafMovesUnderAnOverloadedNodeThatShiftingCannotHelp() {
    var config = ProtocolConfig.simulation().withLoadBalanceThreshold(20);
    var sim = new Simulator(11, SimConfig.standard(), config);
    Map<IndexEntry, Boolean> acked = new HashMap<>();
    sim.onStep(s -> TreeInvariants.checkStep(s, acked));
    var joined = new HashMap<NodeId, Integer>();
    sim.onEvent((node, ev) -> {
      if (ev instanceof io.peersql.baton.core.NodeEvent.Joined) {
        joined.merge(node, 1, Integer::sum);
      }
    });
    var ids = new ArrayList<NodeId>();
    ids.add(sim.addRoot());
    for (int i = 0; i < 24; i++) {
      ids.add(sim.addJoining(ids.get(sim.random().nextInt(ids.size()))));
      sim.runUntilQuiet(60_000);
    }
    // the hot node: one whose routing tables are full and that has a free child slot
    BatonProtocol hot = null;
    for (var n : sim.activeNodes()) {
      if ((n.leftChild() == null || n.rightChild() == null) && n.leftAdjacent() != null
          && n.rightAdjacent() != null && fullTables(n)) {
        hot = n;
        break;
      }
    }
    assertThat(hot).as("a node that can take a child").isNotNull();
    crowd(sim, ids, List.of(sim.node(hot.leftAdjacent().node()), hot,
        sim.node(hot.rightAdjacent().node())), 60, acked);
    int before = hot.entries().size();
    sim.runFor(60_000);
    sim.runUntilQuiet(60_000);
    TreeInvariants.checkQuiet(sim, acked);

    var moved = joined.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
        .toList();
    assertThat(moved).as("leaves that moved under an overloaded node").isNotEmpty();
    assertThat(hot.entries().size()).isLessThan(before);
    long r = sim.submit(ids.get(0), new Scan(OrderedKey.MIN, null));
    sim.runUntilQuiet(60_000);
    assertThat(((Entries) sim.completion(r).result()).entries()).hasSize(180);
    // and every entry is found by an exact lookup from every node
    for (var e : acked.keySet()) {
      for (var from : sim.activeNodes()) {
        long g = sim.submit(from.self(), new Get(e.key()));
        sim.runUntilQuiet(60_000);
        assertThat(sim.completion(g).result()).as("get %s from %s", e.key(), from.self())
            .isEqualTo(new Values(List.of(e.value())));
      }
    }
  }

  /**
   * Puts {@code each} entries into each node's range (keys halving the distance to its low
   * end), from the nodes in turn, and waits until all are acknowledged.
   */
  private static void crowd(Simulator sim, List<NodeId> ids, List<BatonProtocol> targets,
      int each, Map<IndexEntry, Boolean> acked) {
    var reqs = new HashMap<Long, IndexEntry>();
    int i = 0;
    for (var n : targets) {
      OrderedKey low = n.range().low();
      OrderedKey k = n.range().high() == null ? OrderedKey.midpoint(low, null) : n.range().high();
      for (int j = 0; j < each; j++, i++) {
        k = OrderedKey.midpoint(low, k);
        var e = new IndexEntry(k, ByteString.ofUtf8("v" + i));
        reqs.put(sim.submit(ids.get(i % ids.size()), new Put(e.key(), e.value())), e);
      }
    }
    sim.runUntilQuiet(60_000);
    reqs.forEach((r, e) -> {
      assertThat(sim.completion(r).result()).isInstanceOf(Ack.class);
      acked.put(e, true);
    });
  }

  private static boolean fullTables(BatonProtocol n) {
    for (var side : io.peersql.baton.core.Side.values()) {
      for (int i = 0; i < n.routingTableSize(side); i++) {
        if (n.routingEntry(side, i) == null) {
          return false;
        }
      }
    }
    return true;
  }
}
