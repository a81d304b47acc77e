package io.peersql.baton.core;

import java.io.Serializable;

/**
 * A place in the BATON tree: the root is (0, 1) and level l holds numbers 1..2^l.
 * Positions compare in in-order (the order of the key ranges their nodes own).
 */
public record Position(int level, long number) implements Serializable, Comparable<Position> {
  public static final Position ROOT = new Position(0, 1);
  static final int MAX_LEVEL = 60;

  public Position {
    if (level < 0 || level > MAX_LEVEL || number < 1 || number > (1L << level)) {
      throw new IllegalArgumentException("invalid position (" + level + ", " + number + ")");
    }
  }

  public boolean isRoot() {
    return level == 0;
  }

  public Position parent() {
    return isRoot() ? null : new Position(level - 1, (number + 1) / 2);
  }

  public Position child(Side side) {
    return new Position(level + 1, side == Side.LEFT ? 2 * number - 1 : 2 * number);
  }

  /** Which child of its parent this position is. */
  public Side sideInParent() {
    return number % 2 == 1 ? Side.LEFT : Side.RIGHT;
  }

  /** The number of routing-table entries on {@code side}: positions n -/+ 2^i on this level. */
  public int routingTableSize(Side side) {
    long room = side == Side.LEFT ? number - 1 : (1L << level) - number;
    return room <= 0 ? 0 : 64 - Long.numberOfLeadingZeros(room);
  }

  /** The position of routing-table entry i on {@code side}. */
  public Position neighbour(Side side, int i) {
    return new Position(level, side == Side.LEFT ? number - (1L << i) : number + (1L << i));
  }

  /** If {@code other} is in this position's routing table, its side and index; else null. */
  public RoutingSlot slotOf(Position other) {
    if (other.level != level || other.number == number) {
      return null;
    }
    long d = Math.abs(other.number - number);
    if (Long.bitCount(d) != 1) {
      return null;
    }
    return new RoutingSlot(other.number < number ? Side.LEFT : Side.RIGHT,
        Long.numberOfTrailingZeros(d));
  }

  /** The in-order rank of this position as a fraction (2n-1)/2^(l+1), scaled to a long. */
  public long inorderKey() {
    return (2 * number - 1) << (MAX_LEVEL - level);
  }

  @Override
  public int compareTo(Position o) {
    return Long.compare(inorderKey(), o.inorderKey());
  }

  @Override
  public String toString() {
    return "(" + level + "," + number + ")";
  }

  /** A routing-table slot: a side and an index. */
  public record RoutingSlot(Side side, int index) {}
}
