package io.peersql.peer.load;

/**
 * A load stopped; nothing of it was kept. Says where (table, row position in the source) and why.
 */
public class LoadFailedException extends RuntimeException {

  public LoadFailedException(String message) {
    super(message);
  }

  public LoadFailedException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A bad value in one row of the source. */
  static LoadFailedException badRow(String table, String position, String column, String reason) {
    return new LoadFailedException("Load of " + table + " stopped at " + position + ", column "
        + column + ": " + reason + "; the previous data is unchanged");
  }
}
