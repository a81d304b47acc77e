package io.peersql.bootstrap.schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The rules a global schema obeys: each version on its own (names unique, keys and indexes on
 * existing columns, known types) and each change against the version before. A change may add
 * tables, add nullable columns, widen types, relax NOT NULL and change which columns are range
 * indexed; anything else would break data the peers already hold and is refused.
 */
final class SchemaRules {

  private SchemaRules() {
  }

  /** The definition in canonical form: types spelled canonically, primary-key columns NOT NULL. */
  static SchemaDefinition normalize(SchemaDefinition schema) {
    return new SchemaDefinition(schema.tables().stream().map(table -> new SchemaDefinition.Table(table.name(),
        table.columns().stream().map(column -> new SchemaDefinition.Column(column.name(),
            SqlType.parse(column.type()).type().map(SqlType::toString).orElse(column.type()),
            column.nullable() && !table.primaryKey().contains(column.name()))).toList(),
        table.primaryKey(), table.rangeIndexed())).toList());
  }

  /** What is wrong with a schema on its own; empty when it is well formed. */
  static List<String> problems(SchemaDefinition schema) {
    var problems = new ArrayList<String>();
    var tableNames = new HashSet<String>();
    for (var table : schema.tables()) {
      if (!tableNames.add(table.name())) {
        problems.add("table " + table.name() + " is defined twice");
      }
      var columnNames = new HashSet<String>();
      for (var column : table.columns()) {
        if (!columnNames.add(column.name())) {
          problems.add("column " + table.name() + "." + column.name() + " is defined twice");
        }
        var parsed = SqlType.parse(column.type());
        if (parsed.type().isEmpty()) {
          problems.add("column " + table.name() + "." + column.name() + ": " + parsed.error());
        }
      }
      if (new HashSet<>(table.primaryKey()).size() != table.primaryKey().size()) {
        problems.add("table " + table.name() + ": primary key names a column twice");
      }
      for (var key : table.primaryKey()) {
        if (!columnNames.contains(key)) {
          problems.add("table " + table.name() + ": primary key column " + key + " is not a column of the table");
        }
      }
      for (var indexed : table.rangeIndexed()) {
        if (!columnNames.contains(indexed)) {
          problems.add("table " + table.name() + ": range-indexed column " + indexed
              + " is not a column of the table");
        }
      }
    }
    return problems;
  }

  /** How {@code next} differs from {@code previous}: the changes, and those that are refused. */
  static Comparison compare(SchemaDefinition previous, SchemaDefinition next) {
    var changes = new ArrayList<String>();
    var refused = new ArrayList<String>();
    for (var old : previous.tables()) {
      var table = next.table(old.name());
      if (table == null) {
        refused.add("table " + old.name() + " cannot be dropped: peers hold its data");
        continue;
      }
      if (!table.primaryKey().equals(old.primaryKey())) {
        refused.add("table " + old.name() + ": the primary key cannot change from " + old.primaryKey() + " to "
            + table.primaryKey());
      }
      for (var oldColumn : old.columns()) {
        var column = table.column(oldColumn.name());
        var where = old.name() + "." + oldColumn.name();
        if (column == null) {
          refused.add("column " + where + " cannot be dropped: peers hold its data");
          continue;
        }
        var from = SqlType.parse(oldColumn.type()).type().orElseThrow();
        var to = SqlType.parse(column.type()).type().orElseThrow();
        if (!from.equals(to)) {
          if (from.widensTo(to)) {
            changes.add("widened column " + where + " from " + from + " to " + to);
          } else {
            refused.add("column " + where + " cannot change from " + from + " to " + to
                + ": only widening (longer strings, larger numbers) is allowed");
          }
        }
        if (oldColumn.nullable() && !column.nullable()) {
          refused.add("column " + where + " cannot become NOT NULL: existing rows may hold NULL");
        } else if (!oldColumn.nullable() && column.nullable()) {
          changes.add("column " + where + " may now be NULL");
        }
      }
      for (var column : table.columns()) {
        if (old.column(column.name()) == null) {
          if (column.nullable()) {
            changes.add("added column " + old.name() + "." + column.name() + " " + column.type());
          } else {
            refused.add("new column " + old.name() + "." + column.name()
                + " must be nullable: rows that peers already hold have no value for it");
          }
        }
      }
      for (var indexed : table.rangeIndexed()) {
        if (!old.rangeIndexed().contains(indexed)) {
          changes.add("range index on " + old.name() + "." + indexed);
        }
      }
      for (var indexed : old.rangeIndexed()) {
        if (!table.rangeIndexed().contains(indexed)) {
          changes.add("no more range index on " + old.name() + "." + indexed);
        }
      }
    }
    for (var table : next.tables()) {
      if (previous.table(table.name()) == null) {
        changes.add("added table " + table.name());
      }
    }
    return new Comparison(changes, refused);
  }

  /** The differences between two versions. */
  record Comparison(List<String> changes, List<String> refused) {
  }
}
