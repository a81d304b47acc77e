package io.peersql.baton.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.baton.OrderedKey;
import io.peersql.baton.core.BatonProtocol;
import io.peersql.baton.core.KeyRange;
import io.peersql.baton.core.Message.Get;
import io.peersql.baton.core.Message.Values;
import io.peersql.baton.core.NodeId;
import io.peersql.baton.core.ProtocolConfig;
import io.peersql.baton.core.Side;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routing entries carry their node's children's and adjacent nodes' ranges (hints). */
class RangeHintTest {

  @Test
  void hintsCoverTheHintedNodesRangeAndLookupsStayWithinTwoLog2N() {
    var sim = new Simulator(7, SimConfig.standard().withTicks(0), ProtocolConfig.simulation());
    var ids = new ArrayList<NodeId>();
    ids.add(sim.addRoot());
    for (int i = 0; i < 400; i++) {
      ids.add(sim.addJoining(ids.get(sim.random().nextInt(ids.size()))));
      sim.runUntilQuiet(100_000);
    }
    Map<NodeId, KeyRange> actual = new HashMap<>();
    for (BatonProtocol n : sim.activeNodes()) {
      actual.put(n.self(), n.range());
    }
    assertThat(actual).hasSize(401);
    // joins only ever split ranges, so a hint may be older than its node's range but never
    // outside it: the node's range lies within the hinted one
    int hints = 0;
    for (BatonProtocol n : sim.activeNodes()) {
      for (Side side : Side.values()) {
        for (int i = 0; i < n.routingTableSize(side); i++) {
          var e = n.routingEntry(side, i);
          if (e == null) {
            continue;
          }
          for (var h : e.near()) {
            hints++;
            KeyRange now = actual.get(h.node());
            assertThat(now).as("hinted node %s is live", h.node()).isNotNull();
            assertThat(now.low().compareTo(h.range().low())).isGreaterThanOrEqualTo(0);
            assertThat(h.range().high() == null
                || (now.high() != null && now.high().compareTo(h.range().high()) <= 0))
                .as("range %s of %s within hint %s", now, h.node(), h.range()).isTrue();
          }
        }
      }
    }
    assertThat(hints).isGreaterThan(401);
    // every exact lookup answers, in at most 2 log2 N hops (hinted hops counted)
    int maxHops = (int) Math.floor(2 * Math.log(401) / Math.log(2));
    for (int i = 0; i < 300; i++) {
      var key = OrderedKey.of("t", "c", (long) sim.random().nextInt(1_000_000));
      long r = sim.submit(ids.get(sim.random().nextInt(ids.size())), new Get(key));
      sim.runUntilQuiet(100_000);
      var c = sim.completion(r);
      assertThat(c.result()).isInstanceOf(Values.class);
      assertThat(c.hops()).isBetween(0, maxHops);
    }
  }
}
