package io.peersql.baton.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peersql.baton.BatonNode;
import io.peersql.baton.ByteString;
import io.peersql.baton.OrderedKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Peers of a new network start together: several nodes join through the first one at the same
 * moment, then all of them write and read at once (as peers publishing their indexes do).
 */
@Tag("network")
class ConcurrentJoinOnLoopbackTest {

  private final List<BatonNode> nodes = new ArrayList<>();

  @AfterEach
  void stopAll() {
    nodes.forEach(BatonNode::close);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4, 8})
  void nodesJoiningAtOnceFormOneWorkingOverlay(int joiners) throws Exception {
    var root = BatonNode.start("127.0.0.1", 0, 1);
    nodes.add(root);
    root.create().get(5, TimeUnit.SECONDS);
    var joins = new ArrayList<CompletableFuture<Void>>();
    for (int i = 0; i < joiners; i++) {
      var node = BatonNode.start("127.0.0.1", 0, ("peer-" + (i + 2)).hashCode());
      nodes.add(node);
      joins.add(node.join(root.id()));
    }
    CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    var puts = new ArrayList<CompletableFuture<Void>>();
    for (int n = 0; n < nodes.size(); n++) {
      for (int i = 0; i < 50; i++) {
        var key = OrderedKey.builder().add("t").add("table" + (i % 8)).add("peer-" + n).build();
        puts.add(nodes.get(n).put(key, ByteString.ofUtf8("peer-" + n + "/" + i)));
      }
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    for (var asker : nodes) {
      var all = asker.scan(OrderedKey.builder().add("t").build(), null).get(10, TimeUnit.SECONDS);
      assertThat(all).hasSize(nodes.size() * 50);
    }
  }

  @Test
  void nodesOutsideAnOverlayRefuseJoinsAtOnceSoThatNoStaleJoinIsPlacedLater() throws Exception {
    // Peers starting together each first try the others, none of them in an overlay yet.
    var first = BatonNode.start("127.0.0.1", 0, 1);
    var second = BatonNode.start("127.0.0.1", 0, 2);
    var third = BatonNode.start("127.0.0.1", 0, 3);
    nodes.addAll(List.of(first, second, third));
    var attempts = List.of(first.join(second.id()), second.join(first.id()), third.join(first.id()));
    for (var attempt : attempts) {
      assertThatThrownBy(() -> attempt.get(5, TimeUnit.SECONDS))
          .as("refused, not left waiting").isInstanceOf(ExecutionException.class);
    }
    // The first then creates the overlay and the others join through it.
    first.create().get(5, TimeUnit.SECONDS);
    second.join(first.id()).get(10, TimeUnit.SECONDS);
    third.join(second.id()).get(10, TimeUnit.SECONDS);
    for (int n = 0; n < nodes.size(); n++) {
      nodes.get(n).put(OrderedKey.builder().add("t").add("peer-" + n).build(), ByteString.ofUtf8("x"))
          .get(10, TimeUnit.SECONDS);
    }
    for (var asker : nodes) {
      assertThat(asker.scan(OrderedKey.builder().add("t").build(), null).get(10, TimeUnit.SECONDS)).hasSize(3);
    }
  }
}
