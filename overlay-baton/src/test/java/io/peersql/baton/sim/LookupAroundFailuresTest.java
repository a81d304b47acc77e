package io.peersql.baton.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.baton.core.BatonProtocol;
import io.peersql.baton.core.Message.Get;
import io.peersql.baton.core.Message.Values;
import io.peersql.baton.core.NodeId;
import io.peersql.baton.core.ProtocolConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lookups while failures are not yet repaired (timers off, as in W1's "success while 10 % of
 * nodes are down"). Both adjacent nodes of a node with children fail: the keys of that node
 * are still reachable, from everywhere, through the walk over the in-order links that routing
 * falls back to when it sees failures. Before the walk stepped over a failed adjacent node
 * (to the node after it, named by the replica the walker holds), a node on either side sent
 * the lookup to a routing neighbour beyond the key, which sent it back: at 10,000 nodes a
 * quarter of the W1 lookups ran out of hops that way.
 */
@Tag("simulation")
class LookupAroundFailuresTest {

  /** The W1 benchmark's protocol settings: no fencing, lookups retried three times. */
  private static final ProtocolConfig CONFIG =
      new ProtocolConfig(2, 450, 0, 900, 1000, 400, 3, 200, Integer.MAX_VALUE);

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void keysBetweenTwoFailedNodesAreFoundFromEveryNode(long seed) {
    var sim = new Simulator(seed, new SimConfig(1, 20, 0, 0, -1), CONFIG);
    var ids = new ArrayList<NodeId>();
    ids.add(sim.addRoot());
    for (int i = 1; i < 300; i++) {
      ids.add(sim.addJoining(ids.get(sim.random().nextInt(ids.size()))));
      sim.runUntilNoMessages();
    }
    // internal nodes whose two adjacent nodes fail, no failed node next to another target
    var targets = new ArrayList<BatonProtocol>();
    var failed = new HashSet<NodeId>();
    for (var n : sim.activeNodes()) {
      if (targets.size() == 8) {
        break;
      }
      if (n.leftChild() == null || n.rightChild() == null || failed.contains(n.self())) {
        continue;
      }
      var around = List.of(n.leftAdjacent().node(), n.rightAdjacent().node());
      if (around.stream().noneMatch(failed::contains)) {
        targets.add(n);
        failed.addAll(around);
      }
    }
    assertThat(targets).hasSize(8);
    targets.removeIf(t -> failed.contains(t.self()));
    failed.forEach(sim::crash);

    var requests = new ArrayList<Long>();
    for (var t : targets) {
      for (var origin : sim.activeNodes()) {
        if (!failed.contains(origin.self()) && sim.random().nextInt(10) == 0) {
          requests.add(sim.submit(origin.self(), new Get(t.range().low())));
        }
      }
    }
    sim.runUntilNoMessages();
    for (long r : requests) {
      var done = sim.completion(r);
      assertThat(done).as("lookup %d answered", r).isNotNull();
      assertThat(done.result()).as("lookup %d", r).isInstanceOf(Values.class);
    }
  }
}
