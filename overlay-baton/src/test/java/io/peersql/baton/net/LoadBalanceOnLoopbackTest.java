package io.peersql.baton.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.baton.BatonNode;
import io.peersql.baton.ByteString;
import io.peersql.baton.IndexEntry;
import io.peersql.baton.OrderedKey;
import io.peersql.baton.core.NodeEvent;
import io.peersql.baton.core.NodeId;
import io.peersql.baton.core.ProtocolConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Both load-balancing mechanisms over TCP: 16 nodes on 127.0.0.1, a load-balancing threshold
 * of 8 entries and 300 entries whose keys crowd into a few nodes' ranges. Light leaves must
 * move under overloaded nodes (a node joins a second time) and every entry stays findable.
 */
@Tag("network")
class LoadBalanceOnLoopbackTest {
  private final List<BatonNode> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() {
    nodes.forEach(BatonNode::close);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void lightLeavesMoveUnderOverloadedNodesAndNothingIsLost() throws Exception {
    // network timings, but a short lock lease (a search for a light leaf every 5 leases) and a
    // low threshold
    var config = ProtocolConfig.network().withLockLeaseMs(1000).withLoadBalanceThreshold(8);
    Map<NodeId, Integer> joins = new ConcurrentHashMap<>();
    for (int i = 0; i < 16; i++) {
      var n = BatonNode.start("127.0.0.1", 0, 500 + i, config, 50);
      nodes.add(n);
      n.subscribe(e -> {
        if (e instanceof NodeEvent.Joined) {
          joins.merge(n.id(), 1, Integer::sum);
        }
      });
      if (i == 0) {
        n.create().get(5, TimeUnit.SECONDS);
      } else {
        n.join(nodes.get((i * 5) % i).id()).get(10, TimeUnit.SECONDS);
      }
    }

    var puts = new ArrayList<CompletableFuture<Void>>();
    for (int i = 0; i < 300; i++) {
      puts.add(nodes.get(i % 16).put(OrderedKey.of("orders", "o_custkey", (long) i),
          ByteString.ofUtf8("peer-" + (i % 5))));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    // wait (bounded by the test's timeout) for leaves to move under the loaded nodes
    while (joins.values().stream().noneMatch(c -> c > 1)) {
      Thread.sleep(200);
    }
    Thread.sleep(3000);

    List<IndexEntry> all = nodes.get(3).scan(OrderedKey.of("orders"), null)
        .get(20, TimeUnit.SECONDS);
    assertThat(all).hasSize(300);
    for (int i = 0; i < 300; i += 13) {
      var values = nodes.get((i + 7) % 16).get(OrderedKey.of("orders", "o_custkey", (long) i))
          .get(10, TimeUnit.SECONDS);
      assertThat(values).containsExactly(ByteString.ofUtf8("peer-" + (i % 5)));
    }
  }
}
