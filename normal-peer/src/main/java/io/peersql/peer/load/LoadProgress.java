package io.peersql.peer.load;

/**
 * Where a running load stands.
 *
 * @param table the global table being loaded
 * @param tableNumber its position among the mapped tables, 1-based
 * @param tableCount how many tables the load covers
 * @param rowsDone rows of this table written so far
 * @param rowsExpected rows this table will get, or -1 if unknown
 * @param rowsPerSecond rate over this table so far
 * @param secondsLeft estimated time left for this table, or -1 if unknown
 */
public record LoadProgress(String table, int tableNumber, int tableCount, long rowsDone, long rowsExpected,
    long rowsPerSecond, long secondsLeft) {

  /** One line for a console: {@code orders (2/8): 120000 of 150000 rows, 41000 rows/s, 1 s left}. */
  public String describe() {
    return table + " (" + tableNumber + "/" + tableCount + "): " + rowsDone
        + (rowsExpected >= 0 ? " of " + rowsExpected : "") + " rows, " + rowsPerSecond + " rows/s"
        + (secondsLeft >= 0 ? ", " + secondsLeft + " s left" : "");
  }
}
