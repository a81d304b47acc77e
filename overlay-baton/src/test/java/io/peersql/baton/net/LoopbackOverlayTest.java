package io.peersql.baton.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.baton.BatonNode;
import io.peersql.baton.ByteString;
import io.peersql.baton.IndexEntry;
import io.peersql.baton.OrderedKey;
import io.peersql.baton.core.NodeEvent;
import io.peersql.baton.core.ProtocolConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Tag("network")
class LoopbackOverlayTest {
  private final List<BatonNode> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() {
    nodes.forEach(BatonNode::close);
  }

  private BatonNode start(long seed) throws Exception {
    var n = BatonNode.start("127.0.0.1", 0, seed, ProtocolConfig.network(), 50);
    nodes.add(n);
    return n;
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void sixteenNodesOnLoopbackIndexAndFindEntriesAndSurviveALeave() throws Exception {
    var root = start(1);
    root.create().get(5, TimeUnit.SECONDS);
    var joined = new AtomicInteger();
    for (int i = 1; i < 16; i++) {
      var n = start(100 + i);
      n.subscribe(e -> {
        if (e instanceof NodeEvent.Joined) {
          joined.incrementAndGet();
        }
      });
      var access = nodes.get((i * 7) % i).id();
      n.join(access).get(10, TimeUnit.SECONDS);
    }
    assertThat(joined.get()).isEqualTo(15);

    var puts = new ArrayList<CompletableFuture<Void>>();
    for (int i = 0; i < 300; i++) {
      var key = OrderedKey.of("lineitem", "l_orderkey", (long) i);
      puts.add(nodes.get(i % 16).put(key, ByteString.ofUtf8("peer-" + (i % 5))));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    for (int i = 0; i < 300; i += 7) {
      var values = nodes.get((i + 3) % 16).get(OrderedKey.of("lineitem", "l_orderkey", (long) i))
          .get(10, TimeUnit.SECONDS);
      assertThat(values).containsExactly(ByteString.ofUtf8("peer-" + (i % 5)));
    }
    List<IndexEntry> range = nodes.get(5).scan(OrderedKey.of("lineitem", "l_orderkey", 100L),
        OrderedKey.of("lineitem", "l_orderkey", 199L)).get(10, TimeUnit.SECONDS);
    assertThat(range).hasSize(100);
    assertThat(range.get(0).key()).isEqualTo(OrderedKey.of("lineitem", "l_orderkey", 100L));

    var leaver = nodes.get(7);
    leaver.leave().get(20, TimeUnit.SECONDS);
    leaver.close();
    nodes.remove(leaver);

    List<IndexEntry> all = nodes.get(2).scan(OrderedKey.of("lineitem"), null)
        .get(10, TimeUnit.SECONDS);
    assertThat(all).hasSize(300);
    long forwarded = nodes.stream().mapToLong(n -> n.stats().forwarded().values().stream()
        .mapToLong(Long::longValue).sum()).sum();
    assertThat(forwarded).isPositive();
    for (var n : nodes) {
      assertThat(n.links().get(5, TimeUnit.SECONDS).status()).isEqualTo("ACTIVE");
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aCrashedNodeIsRoutedAroundAndRepairedWithoutLosingEntries() throws Exception {
    var config = new ProtocolConfig(1, 600, 0, 1500, 1500, 800, 8, 120, 256);
    var root = BatonNode.start("127.0.0.1", 0, 1, config, 50);
    nodes.add(root);
    root.create().get(5, TimeUnit.SECONDS);
    for (int i = 1; i < 16; i++) {
      var n = BatonNode.start("127.0.0.1", 0, 200 + i, config, 50);
      nodes.add(n);
      n.join(nodes.get(i / 2).id()).get(10, TimeUnit.SECONDS);
    }
    var puts = new ArrayList<CompletableFuture<Void>>();
    for (int i = 0; i < 200; i++) {
      puts.add(nodes.get(i % 16).put(OrderedKey.of("orders", "o_custkey", (long) i),
          ByteString.ofUtf8("peer-" + (i % 3))));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    var victim = nodes.get(9);
    victim.close(); // a crash: no leave
    nodes.remove(victim);
    // reads keep working at once (replicas on the adjacent nodes), and after the repair
    for (int round = 0; round < 2; round++) {
      List<IndexEntry> all = nodes.get(0).scan(OrderedKey.of("orders"), null)
          .get(20, TimeUnit.SECONDS);
      assertThat(all).hasSize(200);
      Thread.sleep(4000);
    }
    for (var n : nodes) {
      var links = n.links().get(5, TimeUnit.SECONDS);
      assertThat(links.status()).isEqualTo("ACTIVE");
      for (var l : new io.peersql.baton.core.Link[] {links.parent(), links.leftChild(),
          links.rightChild(), links.leftAdjacent(), links.rightAdjacent()}) {
        assertThat(l == null ? null : l.node()).isNotEqualTo(victim.id());
      }
    }
  }
}
