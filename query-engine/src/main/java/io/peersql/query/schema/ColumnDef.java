package io.peersql.query.schema;

import static java.util.Objects.requireNonNull;

/**
 * One column of a global-schema table.
 *
 * @param name column name as the stores know it (lower case, unquoted)
 * @param type SQL type
 * @param precision precision for DECIMAL, length for VARCHAR, ignored otherwise
 * @param scale scale for DECIMAL, ignored otherwise
 * @param nullable whether the column admits nulls
 */
public record ColumnDef(String name, ColumnType type, int precision, int scale, boolean nullable) {

  /** Creates a ColumnDef, checking its parts. */
  public ColumnDef {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
  }

  /** A not-null column of a type without precision. */
  public static ColumnDef of(String name, ColumnType type) {
    return new ColumnDef(name, type, 0, 0, false);
  }

  /** A not-null DECIMAL column. */
  public static ColumnDef decimal(String name, int precision, int scale) {
    return new ColumnDef(name, ColumnType.DECIMAL, precision, scale, false);
  }

  /** A not-null VARCHAR column. */
  public static ColumnDef varchar(String name, int length) {
    return new ColumnDef(name, ColumnType.VARCHAR, length, 0, false);
  }
}
