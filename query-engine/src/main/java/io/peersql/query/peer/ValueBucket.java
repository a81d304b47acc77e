package io.peersql.query.peer;

/**
 * One bucket of a peer's histogram of a range-indexed column: the closed interval of values it
 * covers, and the rows and distinct values of the peer's table in it.
 *
 * @param low smallest value (Long, BigDecimal, LocalDate or String)
 * @param high largest value, of the same type
 * @param rows rows with a value in the bucket
 * @param distinct distinct values in the bucket; 0 when unknown
 */
public record ValueBucket(Comparable<?> low, Comparable<?> high, long rows, long distinct) {
}
