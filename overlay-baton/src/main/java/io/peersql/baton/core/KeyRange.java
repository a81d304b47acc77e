package io.peersql.baton.core;

import static java.util.Objects.requireNonNull;

import io.peersql.baton.OrderedKey;
import java.io.Serializable;

/**
 * A half-open range [low, high) of the key space; a null high is +infinity. The ranges of
 * all nodes, taken in in-order, tile the whole key space [MIN, +infinity).
 */
public record KeyRange(OrderedKey low, OrderedKey high) implements Serializable {
  public static final KeyRange ALL = new KeyRange(OrderedKey.MIN, null);

  public KeyRange {
    requireNonNull(low, "low is null");
    if (high != null && high.compareTo(low) < 0) {
      throw new IllegalArgumentException("range high " + high + " below low " + low);
    }
  }

  public boolean contains(OrderedKey k) {
    return k.compareTo(low) >= 0 && (high == null || k.compareTo(high) < 0);
  }

  /** True when k is at or above the high bound (k lies to the right of this range). */
  public boolean isBelow(OrderedKey k) {
    return high != null && k.compareTo(high) >= 0;
  }

  /** True when this range and [a, b] (b inclusive, null = +infinity) share a key. */
  public boolean overlaps(OrderedKey a, OrderedKey b) {
    boolean startsBeforeEnd = b == null || low.compareTo(b) <= 0;
    boolean endsAfterStart = high == null || high.compareTo(a) > 0;
    return startsBeforeEnd && endsAfterStart;
  }

  public boolean isEmpty() {
    return high != null && high.equals(low);
  }

  /** Joins this range with the one right after it. */
  public KeyRange joinRight(KeyRange right) {
    if (high == null || !high.equals(right.low)) {
      throw new IllegalArgumentException("ranges not contiguous: " + this + " + " + right);
    }
    return new KeyRange(low, right.high);
  }

  /** Joins this range with either contiguous neighbour. */
  public KeyRange join(KeyRange other) {
    return other.high != null && other.high.equals(low) ? other.joinRight(this) : joinRight(other);
  }

  public int compareHigh(KeyRange o) {
    if (high == null) {
      return o.high == null ? 0 : 1;
    }
    return o.high == null ? -1 : high.compareTo(o.high);
  }

  @Override
  public String toString() {
    return "[" + low + ", " + (high == null ? "+inf" : high) + ")";
  }
}
