package io.peersql.peer.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.peer.index.IndexDirectory.PeerAddress;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing a peer's share and looking peers up by table and by value range. */
class IndexDirectoryTest {

  @TempDir
  Path dataDir;

  private final InMemorySharedIndex index = new InMemorySharedIndex();

  private IndexDirectory peer(String name) {
    return new IndexDirectory(index, new PeerAddress(name, "http://" + name), dataDir.resolve(name));
  }

  private static ShareSummary orders(long low, long high, LocalDate from, LocalDate to) {
    return new ShareSummary(Map.of("orders", 100L), Map.of("orders", List.of("o_orderkey", "o_orderdate")),
        List.of(new ColumnRanges("orders", "o_orderkey", List.of(new RangeBucket(low, high, 100, 100))),
            new ColumnRanges("orders", "o_orderdate", List.of(new RangeBucket(from, to, 100, 40)))));
  }

  @Test
  void lookupsNameExactlyThePeersThatHoldTheTableOrOverlapTheRange() throws Exception {
    peer("a").publish(orders(1, 100, LocalDate.of(1992, 1, 1), LocalDate.of(1993, 12, 31)));
    peer("b").publish(orders(101, 200, LocalDate.of(1994, 1, 1), LocalDate.of(1995, 12, 31)));
    peer("c").publish(new ShareSummary(Map.of("nation", 25L), Map.of("nation", List.of("n_name")), List.of()));
    var asker = peer("c");

    assertThat(asker.peersHolding("orders").keySet()).extracting(PeerAddress::name).containsExactlyInAnyOrder("a", "b");
    assertThat(asker.peersHolding("orders")).containsValue(100L);
    assertThat(asker.peersHolding("nation").keySet()).extracting(PeerAddress::name).containsExactly("c");
    assertThat(asker.peersHolding("lineitem")).isEmpty();
    assertThat(asker.tablesWithColumn("n_name")).containsExactly("nation");

    assertThat(names(asker.peersOverlapping("orders", "o_orderkey", 150L, 150L))).containsExactly("b");
    assertThat(names(asker.peersOverlapping("orders", "o_orderkey", 100L, 101L))).containsExactlyInAnyOrder("a", "b");
    assertThat(names(asker.peersOverlapping("orders", "o_orderkey", 201L, null))).isEmpty();
    assertThat(names(asker.peersOverlapping("orders", "o_orderkey", null, 0L))).isEmpty();
    assertThat(names(asker.peersOverlapping("orders", "o_orderkey", 50, 60L))).containsExactly("a");
    assertThat(names(asker.peersOverlapping("orders", "o_orderdate", LocalDate.of(1995, 3, 1),
        LocalDate.of(1995, 3, 31)))).containsExactly("b");

    assertThat(asker.histogram("orders", "o_orderdate")).containsExactlyInAnyOrder(
        new RangeBucket(LocalDate.of(1992, 1, 1), LocalDate.of(1993, 12, 31), 100, 40),
        new RangeBucket(LocalDate.of(1994, 1, 1), LocalDate.of(1995, 12, 31), 100, 40));
    assertThat(asker.histogram("orders", "o_orderkey")).extracting(RangeBucket::low).containsExactlyInAnyOrder(1L, 101L);
    assertThat(asker.histogram("nation", "n_name")).isEmpty();
  }

  @Test
  void republishingWithdrawsWhatThePeerNoLongerHoldsEvenAfterARestart() throws Exception {
    peer("a").publish(orders(1, 100, LocalDate.of(1992, 1, 1), LocalDate.of(1993, 12, 31)));
    int published = index.size();

    // A new instance (the peer restarted) reloads: different keys, and no orders at all later.
    peer("a").publish(orders(500, 600, LocalDate.of(1992, 1, 1), LocalDate.of(1993, 12, 31)));
    assertThat(index.size()).isEqualTo(published);
    assertThat(names(peer("x").peersOverlapping("orders", "o_orderkey", 1L, 100L))).isEmpty();
    assertThat(names(peer("x").peersOverlapping("orders", "o_orderkey", 550L, 550L))).containsExactly("a");

    peer("a").publish(new ShareSummary(Map.of(), Map.of(), List.of()));
    assertThat(index.size()).isZero();

    peer("a").publish(orders(1, 100, LocalDate.of(1992, 1, 1), LocalDate.of(1993, 12, 31)));
    peer("a").withdrawAll();
    assertThat(index.size()).isZero();
  }

  private static List<String> names(java.util.Set<PeerAddress> peers) {
    return peers.stream().map(PeerAddress::name).toList();
  }
}
