package io.peersql.query.schema;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One table of the global schema: its columns, primary key, the columns whose value ranges the
 * overlay indexes (so scans filtering on them can skip peers), and its co-location.
 *
 * @param name table name as the stores and the overlay know it (lower case, unquoted)
 * @param columns the columns, in order
 * @param primaryKey primary-key column names (may be empty)
 * @param rangeIndexed names of the columns with a range index in the overlay
 * @param coLocation how the table's rows are placed relative to other tables, if declared
 */
public record TableDef(
    String name,
    List<ColumnDef> columns,
    List<String> primaryKey,
    Set<String> rangeIndexed,
    Optional<CoLocation> coLocation) {

  /** Creates a TableDef, checking that every named column exists. */
  public TableDef {
    requireNonNull(name, "name is null");
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
    rangeIndexed = Set.copyOf(rangeIndexed);
    requireNonNull(coLocation, "coLocation is null");
    for (var column : primaryKey) {
      requireColumn(columns, name, column);
    }
    for (var column : rangeIndexed) {
      requireColumn(columns, name, column);
    }
    if (coLocation.isPresent()) {
      requireColumn(columns, name, coLocation.get().column());
    }
  }

  /** Returns the position of the named column, or -1. */
  public int columnIndex(String column) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(column)) {
        return i;
      }
    }
    return -1;
  }

  private static void requireColumn(List<ColumnDef> columns, String table, String column) {
    if (columns.stream().noneMatch(c -> c.name().equalsIgnoreCase(column))) {
      throw new IllegalArgumentException("table " + table + " has no column " + column);
    }
  }
}
