package io.peersql.baton.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.baton.BatonNode;
import io.peersql.baton.ByteString;
import io.peersql.baton.OrderedKey;
import io.peersql.baton.core.Link;
import io.peersql.baton.core.NodeId;
import io.peersql.baton.core.NodeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real nodes over TCP on 127.0.0.1 with the default network settings: after a graceful leave
 * (leave, then close at once, as a peer shutting down does) and then a crash (close without
 * leave), every survivor still finds every entry by exact lookup and by scan. The bounds on
 * waiting are liveness bounds (a lookup that never answers fails the test), not speed targets.
 */
@Tag("network")
class LeaveAndCrashOnLoopbackTest {
  private static final int ENTRIES = 120;
  private final List<BatonNode> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() {
    nodes.forEach(BatonNode::close);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void fiveNodesFindEverythingAfterALeaveAndACrash() throws Exception {
    leaveThenCrash(5, 11);
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void sixteenNodesFindEverythingAfterALeaveAndACrash() throws Exception {
    leaveThenCrash(16, 23);
  }

  private void leaveThenCrash(int size, long seed) throws Exception {
    var root = BatonNode.start("127.0.0.1", 0, seed);
    nodes.add(root);
    root.create().get(5, TimeUnit.SECONDS);
    for (int i = 1; i < size; i++) {
      var n = BatonNode.start("127.0.0.1", 0, seed * 1000 + i);
      n.join(nodes.get((int) ((seed + i * 7L) % i)).id()).get(20, TimeUnit.SECONDS);
      nodes.add(n);
    }
    var puts = new ArrayList<CompletableFuture<Void>>();
    for (int i = 0; i < ENTRIES; i++) {
      puts.add(nodes.get(i % size).put(key(i), value(i)));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    everySurvivorFindsEverything();

    // a graceful leave of a node in the middle of the list (an inner node of the tree for
    // the larger network), closed as soon as leave() completes
    var leaver = nodes.get(size / 2);
    leaver.leave().get(20, TimeUnit.SECONDS);
    leaver.close();
    nodes.remove(leaver);
    everySurvivorFindsEverything();
    noSurvivorLinksTo(leaver.id());

    // a crash: closed without leaving
    var victim = nodes.get(1);
    victim.close();
    nodes.remove(victim);
    everySurvivorFindsEverything();
    waitUntilNoSurvivorLinksTo(victim.id());
    everySurvivorFindsEverything();
  }

  private static OrderedKey key(int i) {
    return OrderedKey.of("orders", "o_orderkey", (long) i * 37);
  }

  private static ByteString value(int i) {
    return ByteString.ofUtf8("peer-" + (i % 4));
  }

  private void everySurvivorFindsEverything() throws Exception {
    for (var n : nodes) {
      for (int i = 0; i < ENTRIES; i += 5) {
        assertThat(n.get(key(i)).get(15, TimeUnit.SECONDS)).as("get %d from %s", i, n.id())
            .containsExactly(value(i));
      }
      var all = n.scan(OrderedKey.of("orders"), null).get(15, TimeUnit.SECONDS);
      assertThat(all).as("scan from %s", n.id()).hasSize(ENTRIES);
    }
  }

  private void noSurvivorLinksTo(NodeId gone) throws Exception {
    for (var n : nodes) {
      assertThat(linkedNodes(n)).as("links of %s", n.id()).doesNotContain(gone);
    }
  }

  private void waitUntilNoSurvivorLinksTo(NodeId gone) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (true) {
      boolean clean = true;
      for (var n : nodes) {
        clean &= !linkedNodes(n).contains(gone);
      }
      if (clean || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(200);
    }
    noSurvivorLinksTo(gone);
  }

  private static List<NodeId> linkedNodes(BatonNode n) throws Exception {
    var links = n.links().get(5, TimeUnit.SECONDS);
    var ids = new ArrayList<NodeId>();
    for (Link l : new Link[] {links.parent(), links.leftChild(), links.rightChild(),
        links.leftAdjacent(), links.rightAdjacent()}) {
      if (l != null) {
        ids.add(l.node());
      }
    }
    for (NodeInfo r : links.routing()) {
      ids.add(r.node());
    }
    return ids;
  }
}
