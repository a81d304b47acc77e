package io.peersql.baton.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.baton.core.BatonProtocol;
import io.peersql.baton.core.NodeId;
import io.peersql.baton.core.ProtocolConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two nodes next to each other in in-order fail at once: the replica each held of the other
 * is lost with it, and the repair of one hands the survivors links that name the other. The
 * tree must still heal completely: no live node keeps a link to a failed node, ranges tile the
 * key space, every link points at the node holding that position; invariants hold at every
 * step on the way.
 */
@Tag("simulation")
class MultipleFailureRepairTest {

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void adjacentNodesFailingTogetherAreBothRepaired(long seed) {
    var sim = new Simulator(seed, SimConfig.standard(), ProtocolConfig.simulation());
    sim.onStep(s -> TreeInvariants.checkStep(s, null));
    var ids = new ArrayList<NodeId>();
    ids.add(sim.addRoot());
    for (int i = 1; i < 40; i++) {
      ids.add(sim.addJoining(ids.get(sim.random().nextInt(ids.size()))));
      sim.runFor(30);
    }
    assertThat(sim.runUntilQuiet(60_000)).isTrue();
    // a random live node and its right adjacent node fail together
    List<BatonProtocol> active = sim.activeNodes();
    BatonProtocol first;
    do {
      first = active.get(sim.random().nextInt(active.size()));
    } while (first.rightAdjacent() == null);
    var second = first.rightAdjacent().node();
    sim.crash(first.self());
    sim.crash(second);

    sim.runFor(30_000);
    assertThat(sim.runUntilQuiet(120_000)).as("network settles").isTrue();
    assertThat(TreeInvariants.unrepairedFailures(sim)).as("failed nodes still linked").isZero();
    TreeInvariants.checkQuiet(sim, null, false);
  }
}
