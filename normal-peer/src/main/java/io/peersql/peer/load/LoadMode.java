package io.peersql.peer.load;

/** How a load treats the data already shared. */
public enum LoadMode {
  /** Replace each mapped table's rows with the source's current rows. */
  FULL,
  /**
   * Add or replace (by primary key) only the rows whose watermark grew since the last load;
   * a table never loaded before is loaded in full.
   */
  INCREMENTAL
}
