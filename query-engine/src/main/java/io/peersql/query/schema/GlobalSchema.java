package io.peersql.query.schema;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The global schema of a corporate network: the tables every peer maps its shared data onto.
 *
 * @param name schema name shown to business users (for example {@code PEERSQL})
 * @param tables the tables
 */
public record GlobalSchema(String name, List<TableDef> tables) {

  /** Creates a GlobalSchema, checking that table names are unique. */
  public GlobalSchema {
    requireNonNull(name, "name is null");
    tables = List.copyOf(tables);
    var seen = new HashSet<String>();
    for (var table : tables) {
      if (!seen.add(table.name().toLowerCase(java.util.Locale.ROOT))) {
        throw new IllegalArgumentException("duplicate table " + table.name());
      }
    }
  }

  /** Returns the table with the given name, ignoring case. */
  public Optional<TableDef> table(String tableName) {
    return tables.stream().filter(t -> t.name().equalsIgnoreCase(tableName)).findFirst();
  }
}
