package io.peersql.peer.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Brings the peer's store to a version of the global schema: creates missing tables, adds
 * missing columns and widens columns whose type the schema widened (longer text, more digits).
 * The bootstrap refuses every other kind of change, so nothing here drops or narrows data. The
 * applied version is recorded in the store ({@code peersql_schema}) and applied changes are
 * idempotent, so a peer that stops midway finishes on its next try.
 */
public final class SchemaSync {

  private static final Logger log = LoggerFactory.getLogger(SchemaSync.class);
  private static final Pattern SIZED = Pattern.compile("([A-Z ]+)\\s*\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\)");

  private final DataSource store;

  /** Creates a SchemaSync for the given store. */
  public SchemaSync(DataSource store) {
    this.store = requireNonNull(store, "store is null");
  }

  /** The version the store was last brought to, 0 if none. */
  public int appliedVersion() throws SQLException {
    try (var connection = store.getConnection()) {
      createVersionTable(connection);
      try (var statement = connection.createStatement();
          var rows = statement.executeQuery("select max(version) from peersql_schema")) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  /** Applies {@code schema}; returns the DDL statements that ran. */
  public synchronized List<String> apply(GlobalSchema schema) throws SQLException {
    var ran = new ArrayList<String>();
    try (var connection = store.getConnection()) {
      createVersionTable(connection);
      boolean postgres = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
      for (var table : schema.tables()) {
        var existing = columns(connection, table.name());
        if (existing.isEmpty()) {
          ran.add(execute(connection, createTable(table)));
          continue;
        }
        for (var column : table.columns()) {
          var current = existing.get(column.name().toLowerCase(Locale.ROOT));
          if (current == null) {
            ran.add(execute(connection, "alter table " + table.name() + " add column " + column.name() + " "
                + column.type()));
          } else if (widens(current, column.type())) {
            ran.add(execute(connection, "alter table " + table.name() + " alter column " + column.name()
                + (postgres ? " type " : " set data type ") + column.type()));
          }
        }
      }
      try (var record = connection.prepareStatement(
          "insert into peersql_schema (version, applied_at) values (?, current_timestamp)")) {
        if (schema.version() > appliedVersion(connection)) {
          record.setInt(1, schema.version());
          record.executeUpdate();
        }
      }
    }
    if (!ran.isEmpty()) {
      log.info("Applied global schema version {}: {}", schema.version(), ran);
    }
    return ran;
  }

  private static int appliedVersion(Connection connection) throws SQLException {
    try (var statement = connection.createStatement();
        var rows = statement.executeQuery("select max(version) from peersql_schema")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static void createVersionTable(Connection connection) throws SQLException {
    try (var statement = connection.createStatement()) {
      statement.execute("create table if not exists peersql_schema (version integer not null, "
          + "applied_at timestamp not null)");
    }
  }

  static String createTable(GlobalSchema.Table table) {
    var columns = table.columns().stream()
        .map(column -> column.name() + " " + column.type()
            + (Boolean.FALSE.equals(column.nullable()) || table.primaryKey().contains(column.name()) ? " not null" : ""))
        .collect(Collectors.joining(", "));
    var key = table.primaryKey().isEmpty() ? "" : ", primary key (" + String.join(", ", table.primaryKey()) + ")";
    return "create table if not exists " + table.name() + " (" + columns + key + ")";
  }

  private static String execute(Connection connection, String ddl) throws SQLException {
    try (var statement = connection.createStatement()) {
      statement.execute(ddl);
    }
    return ddl;
  }

  /** A column as the store has it: type name and size (length or precision) and scale. */
  record StoredColumn(String typeName, int size, int scale) {
  }

  private static Map<String, StoredColumn> columns(Connection connection, String table) throws SQLException {
    var meta = connection.getMetaData();
    for (var candidate : List.of(table, table.toUpperCase(Locale.ROOT), table.toLowerCase(Locale.ROOT))) {
      var found = new java.util.LinkedHashMap<String, StoredColumn>();
      try (var rows = meta.getColumns(null, connection.getSchema(), candidate, null)) {
        while (rows.next()) {
          found.put(rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), new StoredColumn(
              rows.getString("TYPE_NAME").toUpperCase(Locale.ROOT), rows.getInt("COLUMN_SIZE"),
              rows.getInt("DECIMAL_DIGITS")));
        }
      }
      if (!found.isEmpty()) {
        return found;
      }
    }
    return Map.of();
  }

  /** Whether the schema's type is a wider form of the stored one (text longer, number with more digits). */
  static boolean widens(StoredColumn stored, String schemaType) {
    var sized = sized(schemaType);
    if (sized.isEmpty()) {
      return false;
    }
    var wanted = sized.get();
    boolean text = wanted.base().contains("CHAR") && stored.typeName().contains("CHAR");
    boolean number = (wanted.base().startsWith("DECIMAL") || wanted.base().startsWith("NUMERIC"))
        && (stored.typeName().startsWith("DECIMAL") || stored.typeName().startsWith("NUMERIC"));
    if (text) {
      return wanted.size() > stored.size();
    }
    return number && (wanted.size() > stored.size() || wanted.scale() > stored.scale());
  }

  private record Sized(String base, int size, int scale) {
  }

  private static Optional<Sized> sized(String type) {
    var matcher = SIZED.matcher(type.toUpperCase(Locale.ROOT).trim());
    if (!matcher.matches()) {
      return Optional.empty();
    }
    return Optional.of(new Sized(matcher.group(1).trim(), Integer.parseInt(matcher.group(2)),
        matcher.group(3) == null ? 0 : Integer.parseInt(matcher.group(3))));
  }
}
