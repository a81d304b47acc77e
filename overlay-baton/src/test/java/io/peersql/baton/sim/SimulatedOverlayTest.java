package io.peersql.baton.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.baton.ByteString;
import io.peersql.baton.IndexEntry;
import io.peersql.baton.OrderedKey;
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

class SimulatedOverlayTest {

  @Test
  void sequentialJoinsKeepTreeBalancedAndLinksCorrect() {
    var sim = new Simulator(1, SimConfig.standard().withTicks(0), ProtocolConfig.simulation());
    sim.onStep(s -> TreeInvariants.checkStep(s, null));
    var ids = new ArrayList<NodeId>();
    ids.add(sim.addRoot());
    for (int i = 0; i < 200; i++) {
      ids.add(sim.addJoining(ids.get(sim.random().nextInt(ids.size()))));
      assertThat(sim.runUntilQuiet(100_000)).isTrue();
      TreeInvariants.checkQuiet(sim, null);
    }
  }

  @Test
  void exactAndRangeLookupsFindEveryEntry() {
    var sim = new Simulator(2, SimConfig.standard().withTicks(0), ProtocolConfig.simulation());
    var ids = new ArrayList<NodeId>();
    ids.add(sim.addRoot());
    for (int i = 0; i < 60; i++) {
      ids.add(sim.addJoining(ids.get(sim.random().nextInt(ids.size()))));
      sim.runUntilQuiet(100_000);
    }
    Map<IndexEntry, Boolean> acked = new HashMap<>();
    sim.onStep(s -> TreeInvariants.checkStep(s, acked));
    var reqs = new HashMap<Long, IndexEntry>();
    for (int i = 0; i < 300; i++) {
      var e = new IndexEntry(OrderedKey.of("t", "c", (long) i), ByteString.ofUtf8("peer" + i % 7));
      reqs.put(sim.submit(ids.get(sim.random().nextInt(ids.size())), new Put(e.key(), e.value())), e);
    }
    assertThat(sim.runUntilQuiet(100_000)).isTrue();
    reqs.forEach((r, e) -> {
      assertThat(sim.completion(r).result()).isInstanceOf(io.peersql.baton.core.Message.Ack.class);
      acked.put(e, true);
    });
    TreeInvariants.checkQuiet(sim, acked);
    for (int i = 0; i < 300; i += 17) {
      long r = sim.submit(ids.get(i % ids.size()), new Get(OrderedKey.of("t", "c", (long) i)));
      sim.runUntilQuiet(100_000);
      assertThat(((Values) sim.completion(r).result()).values())
          .containsExactly(ByteString.ofUtf8("peer" + i % 7));
    }
    long r = sim.submit(ids.get(3), new Scan(OrderedKey.of("t", "c", 10L), OrderedKey.of("t", "c", 109L)));
    sim.runUntilQuiet(100_000);
    List<IndexEntry> found = ((Entries) sim.completion(r).result()).entries();
    assertThat(found).hasSize(100);
  }
}
