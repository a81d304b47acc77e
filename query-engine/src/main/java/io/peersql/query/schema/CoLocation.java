package io.peersql.query.schema;

import static java.util.Objects.requireNonNull;

/**
 * A declaration that a table's rows are placed by the value of one column, the same way as every
 * other table of the same group: rows of two tables of one group that agree on their co-location
 * columns are always held by the same peer. An equi-join on those columns can therefore run
 * inside each peer. The loader (or the schema owner) guarantees it; the engine only trusts it.
 *
 * @param group name of the co-location group (for example {@code order})
 * @param column the table's column that decides placement (for example {@code l_orderkey})
 */
public record CoLocation(String group, String column) {

  /** Creates a CoLocation. */
  public CoLocation {
    requireNonNull(group, "group is null");
    requireNonNull(column, "column is null");
  }
}
