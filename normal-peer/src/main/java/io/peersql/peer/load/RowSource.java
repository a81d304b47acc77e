package io.peersql.peer.load;

/**
 * Rows of one mapped table read from the company's source, each an array of values in the
 * mapping's column order. Implementations read lazily so that big tables stream.
 */
interface RowSource extends AutoCloseable {

  /** Reads the next row into a new array, or returns null at the end. */
  Object[] next() throws Exception;

  /** Where the last row came from, for error messages ("row 1234", "line 1235 of orders.csv"). */
  String position();

  /** How many rows the source will give, if known cheaply; -1 otherwise. */
  long expectedRows();

  /** For a watermarked table, the watermark value of the last row read; null otherwise. */
  default Object watermark() {
    return null;
  }

  @Override
  void close() throws Exception;
}
