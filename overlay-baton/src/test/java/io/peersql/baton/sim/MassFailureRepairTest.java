package io.peersql.baton.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.baton.core.NodeId;
import io.peersql.baton.core.ProtocolConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ten percent of the nodes fail at once, as in workload W1, with every step invariant checked
 * after every simulated step while the survivors repair: no two live nodes at one position, no
 * overlapping ranges, every key owned or awaiting repair, a balanced tree.
 *
 * <p>The network is built the way the W1 benchmark builds it, with the timers off, and the
 * timers start when the nodes fail. Before the fixes this pins down, every seed broke an
 * invariant within a few virtual seconds: nodes took their long-silent (never pinged) live
 * neighbours for failed and had them replaced; both adjacent nodes of one failed node
 * repaired it; and a replacement built from a stale replica left its new position again,
 * unbalancing the tree (seeds 1-5 of the first test all stopped on an overlapping
 * {@code TakeOver} within 2 s). The second test, with timers running throughout, guards the
 * hand-off between the two adjacent nodes of a failed node: every failure is repaired.
 */
@Tag("simulation")
class MassFailureRepairTest {

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void tenPercentFailingAtOnceKeepEveryStepInvariant(long seed) {
    var rnd = new SplittableRandom(seed);
    var sim = new Simulator(rnd.nextLong(), new SimConfig(1, 20, 0, 0, -1),
        new ProtocolConfig(2, 450, 0, 900, 1000, 400, 3, 200, Integer.MAX_VALUE));
    var ids = new ArrayList<NodeId>();
    ids.add(sim.addRoot());
    for (int i = 1; i < 200; i++) {
      ids.add(sim.addJoining(ids.get(rnd.nextInt(ids.size()))));
      sim.runUntilNoMessages();
    }
    assertThat(sim.activeNodes()).hasSize(200);
    var live = new ArrayList<NodeId>();
    sim.activeNodes().forEach(n -> live.add(n.self()));
    var failed = new LinkedHashSet<NodeId>();
    while (failed.size() < 20) {
      failed.add(live.get(rnd.nextInt(live.size())));
    }
    sim.onStep(s -> TreeInvariants.checkStep(s, null));
    failed.forEach(sim::crash);
    sim.setTicks(100);

    sim.runFor(8_000);

    // repair makes progress: most failed positions are taken over or removed
    assertThat(TreeInvariants.unrepairedFailures(sim)).isLessThanOrEqualTo(failed.size() / 3);
    List<NodeId> survivors = new ArrayList<>();
    sim.activeNodes().forEach(n -> survivors.add(n.self()));
    assertThat(survivors).doesNotContainAnyElementsOf(failed);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void severalNodesFailingAtOnceWithTimersRunningAreAllRepaired(long seed) {
    var sim = new Simulator(seed, SimConfig.standard(), ProtocolConfig.simulation());
    sim.onStep(s -> TreeInvariants.checkStep(s, null));
    var ids = new ArrayList<NodeId>();
    ids.add(sim.addRoot());
    for (int i = 1; i < 60; i++) {
      ids.add(sim.addJoining(ids.get(sim.random().nextInt(ids.size()))));
      sim.runFor(30);
    }
    assertThat(sim.runUntilQuiet(60_000)).isTrue();
    var live = new ArrayList<NodeId>();
    sim.activeNodes().forEach(n -> live.add(n.self()));
    var failed = new LinkedHashSet<NodeId>();
    while (failed.size() < 6) {
      failed.add(live.get(sim.random().nextInt(live.size())));
    }
    failed.forEach(sim::crash);

    sim.runFor(30_000);

    assertThat(sim.runUntilQuiet(120_000)).as("network settles").isTrue();
    assertThat(TreeInvariants.unrepairedFailures(sim)).as("failed nodes still linked").isZero();
    TreeInvariants.checkQuiet(sim, null, false);
  }
}
