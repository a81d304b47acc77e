package io.peersql.peer.index;

/**
 * A closed interval of a column's values held by one peer, with how many rows fall in it.
 *
 * @param low smallest value in the bucket (a Long, BigDecimal, LocalDate or String)
 * @param high largest value in the bucket
 * @param rows rows of the peer's table whose value is in the bucket
 * @param distinct distinct values in the bucket
 */
public record RangeBucket(Object low, Object high, long rows, long distinct) {

  /** Whether the bucket may hold a value in {@code [from, to]}; a null bound is unbounded. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public boolean overlaps(Comparable from, Comparable to) {
    return (from == null || from.compareTo(high) <= 0) && (to == null || to.compareTo(low) >= 0);
  }
}
