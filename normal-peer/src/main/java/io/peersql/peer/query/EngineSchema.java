package io.peersql.peer.query;

import io.peersql.peer.schema.GlobalSchema;
import io.peersql.query.schema.CoLocation;
import io.peersql.query.schema.ColumnDef;
import io.peersql.query.schema.ColumnType;
import io.peersql.query.schema.TableDef;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The network's global schema as the bootstrap hands it out, turned into the query engine's
 * schema: the same tables and columns, SQL type names mapped onto the engine's types, primary
 * keys, range-indexed columns and co-location groups.
 */
final class EngineSchema {

  /** The schema name business users see (their default schema). */
  static final String NAME = "PEERSQL";

  private static final Pattern TYPE = Pattern.compile("\\s*([A-Za-z ]+?)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?\\s*");

  private EngineSchema() {
  }

  /** Translates a version of the global schema; throws IllegalArgumentException for a type the engine lacks. */
  static io.peersql.query.schema.GlobalSchema of(GlobalSchema schema) {
    return new io.peersql.query.schema.GlobalSchema(NAME, schema.tables().stream().map(EngineSchema::table).toList());
  }

  private static TableDef table(GlobalSchema.Table table) {
    var columns = table.columns().stream().map(column -> column(table, column)).toList();
    var colocation = Optional.ofNullable(table.colocation())
        .map(declared -> new CoLocation(declared.group(), declared.column()));
    return new TableDef(table.name(), columns, table.primaryKey(), new HashSet<>(table.rangeIndexed()), colocation);
  }

  private static ColumnDef column(GlobalSchema.Table table, GlobalSchema.Column column) {
    var matcher = TYPE.matcher(column.type());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("column " + table.name() + "." + column.name()
          + " has a type the query engine cannot read: " + column.type());
    }
    var base = matcher.group(1).toUpperCase(Locale.ROOT);
    int size = matcher.group(2) == null ? 0 : Integer.parseInt(matcher.group(2));
    int scale = matcher.group(3) == null ? 0 : Integer.parseInt(matcher.group(3));
    var type = switch (base) {
      case "BIGINT" -> ColumnType.BIGINT;
      case "INTEGER", "INT", "SMALLINT" -> ColumnType.INTEGER;
      case "DECIMAL", "NUMERIC" -> ColumnType.DECIMAL;
      case "DOUBLE", "DOUBLE PRECISION", "FLOAT", "REAL" -> ColumnType.DOUBLE;
      case "DATE" -> ColumnType.DATE;
      case "TIMESTAMP" -> ColumnType.TIMESTAMP;
      case "VARCHAR", "CHAR", "CHARACTER VARYING", "CHARACTER" -> ColumnType.VARCHAR;
      case "BOOLEAN" -> ColumnType.BOOLEAN;
      default -> throw new IllegalArgumentException("column " + table.name() + "." + column.name()
          + " has type " + column.type() + ", which the query engine does not support yet");
    };
    boolean nullable = !Boolean.FALSE.equals(column.nullable()) && !table.primaryKey().contains(column.name());
    return new ColumnDef(column.name(), type, size, scale, nullable);
  }
}
