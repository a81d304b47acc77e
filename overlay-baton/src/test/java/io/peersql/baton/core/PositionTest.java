package io.peersql.baton.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PositionTest {

  @Test
  void parentChildrenAndRoutingPositionsFollowTheNumbering() {
    var p = new Position(3, 5);
    assertThat(p.parent()).isEqualTo(new Position(2, 3));
    assertThat(p.child(Side.LEFT)).isEqualTo(new Position(4, 9));
    assertThat(p.child(Side.RIGHT)).isEqualTo(new Position(4, 10));
    assertThat(p.routingTableSize(Side.LEFT)).isEqualTo(3); // 4, 3, 1
    assertThat(p.routingTableSize(Side.RIGHT)).isEqualTo(2); // 6, 7
    assertThat(p.neighbour(Side.LEFT, 2)).isEqualTo(new Position(3, 1));
    assertThat(p.slotOf(new Position(3, 7))).isEqualTo(new Position.RoutingSlot(Side.RIGHT, 1));
    assertThat(p.slotOf(new Position(3, 8))).isNull();
  }

  @Test
  void positionsCompareInInOrder() {
    var root = Position.ROOT;
    assertThat(root.child(Side.LEFT)).isLessThan(root);
    assertThat(root.child(Side.LEFT).child(Side.RIGHT)).isLessThan(root)
        .isGreaterThan(root.child(Side.LEFT));
    assertThat(root.child(Side.RIGHT).child(Side.LEFT)).isGreaterThan(root)
        .isLessThan(root.child(Side.RIGHT));
  }
}
