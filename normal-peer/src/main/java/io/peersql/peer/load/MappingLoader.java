package io.peersql.peer.load;

import io.peersql.peer.load.SchemaMapping.TableMapping;
import io.peersql.peer.load.TargetTable.ColumnType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import static java.util.Objects.requireNonNull;

/**
 * Loads a company's data into the peer's store through a {@link SchemaMapping}.
 *
 * <p>A load is one transaction over all mapped tables: readers of the store keep seeing the old
 * data until it commits, and a load that fails (a bad row, a lost source, a cancel, the process
 * killed) leaves the previous data in place. The watermark of each table is committed with its
 * rows, so an incremental load never skips or repeats changes.
 */
public final class MappingLoader {

  /** Result of a load that committed: rows written per global table. */
  public record LoadReport(Map<String, Long> rows, Duration took) {
  }

  private static final int BATCH = 1_000;
  private static final long PROGRESS_NANOS = Duration.ofSeconds(1).toNanos();

  private final DataSource store;

  /** Creates a MappingLoader writing into the given store. */
  public MappingLoader(DataSource store) {
    this.store = requireNonNull(store, "store is null");
  }

  /**
   * Runs a load and commits it, or fails with {@link LoadFailedException} and keeps the old data.
   *
   * @param progress called about once a second and at each table's end
   * @param cancelled polled between batches; when true the load stops and rolls back
   */
  public LoadReport load(SchemaMapping mapping, LoadMode mode, Consumer<LoadProgress> progress,
      BooleanSupplier cancelled) {
    long started = System.nanoTime();
    try (var connection = store.getConnection()) {
      createStateTable(connection);
      connection.setAutoCommit(false);
      try {
        var rows = new LinkedHashMap<String, Long>();
        var tables = mapping.tables();
        for (int i = 0; i < tables.size(); i++) {
          var table = tables.get(i);
          var loaded = loadTable(connection, mapping.source(), table, mode, i + 1, tables.size(), progress, cancelled);
          rows.put(table.target(), loaded);
        }
        connection.commit();
        return new LoadReport(rows, Duration.ofNanos(System.nanoTime() - started));
      } catch (Exception e) {
        connection.rollback();
        throw e instanceof LoadFailedException failed ? failed
            : new LoadFailedException("Load failed: " + e.getMessage() + "; the previous data is unchanged", e);
      }
    } catch (SQLException e) {
      throw new LoadFailedException("Cannot use the peer's store: " + e.getMessage(), e);
    }
  }

  private static void createStateTable(Connection connection) throws SQLException {
    try (var statement = connection.createStatement()) {
      statement.execute("create table if not exists peersql_load_state ("
          + "target_table varchar(128) primary key, watermark varchar(64), watermark_type varchar(16), "
          + "row_count bigint not null, loaded_at timestamp not null)");
    }
  }

  private long loadTable(Connection connection, SchemaMapping.Source source, TableMapping mapping, LoadMode mode,
      int number, int count, Consumer<LoadProgress> progress, BooleanSupplier cancelled) throws Exception {
    var target = TargetTable.describe(connection, mapping.target());
    var types = new ArrayList<ColumnType>();
    mapping.columns().keySet().forEach(column -> types.add(target.column(column)));
    var unmapped = target.columns().values().stream()
        .filter(column -> !column.nullable()
            && mapping.columns().keySet().stream().noneMatch(c -> c.equalsIgnoreCase(column.name())))
        .map(ColumnType::name)
        .toList();
    if (!unmapped.isEmpty()) {
      throw new LoadFailedException("The mapping of " + mapping.target() + " leaves required columns "
          + unmapped + " without a source");
    }

    Watermark after = null;
    boolean incremental = mode == LoadMode.INCREMENTAL;
    if (incremental) {
      if (mapping.watermark() == null) {
        throw new LoadFailedException("An incremental load needs a 'watermark' for " + mapping.target()
            + "; run a full load or add one to the mapping");
      }
      if (target.primaryKey().isEmpty()) {
        throw new LoadFailedException("An incremental load replaces rows by primary key, and " + target.name()
            + " has none; run a full load");
      }
      after = Watermark.read(connection, target.name());
      incremental = after != null;
    }
    if (!incremental) {
      try (var delete = connection.createStatement()) {
        delete.executeUpdate("delete from " + target.name());
      }
    }

    var names = types.stream().map(ColumnType::name).toList();
    var insertSql = "insert into " + target.name() + " (" + String.join(", ", names) + ") values ("
        + names.stream().map(n -> "?").collect(Collectors.joining(", ")) + ")";
    var keyPositions = target.primaryKey().stream()
        .map(key -> names.stream().map(String::toLowerCase).toList().indexOf(key))
        .toList();
    if (incremental && keyPositions.contains(-1)) {
      throw new LoadFailedException("An incremental load of " + mapping.target()
          + " needs every primary-key column " + target.primaryKey() + " in the mapping");
    }
    var deleteSql = "delete from " + target.name() + " where " + target.primaryKey().stream()
        .map(key -> target.columns().get(key).name() + " = ?").collect(Collectors.joining(" and "));

    long rows = 0;
    long started = System.nanoTime();
    long lastReport = started;
    Object lastWatermark = null;
    try (var rowSource = open(source, mapping, after == null ? null : after.value());
        var insert = connection.prepareStatement(insertSql);
        var delete = incremental ? connection.prepareStatement(deleteSql) : null) {
      Object[] values;
      while ((values = rowSource.next()) != null) {
        for (int i = 0; i < values.length; i++) {
          try {
            insert.setObject(i + 1, ValueConverter.convert(values[i], types.get(i)));
          } catch (IllegalArgumentException e) {
            throw LoadFailedException.badRow(mapping.target(), rowSource.position(), types.get(i).name(), e.getMessage());
          }
        }
        if (delete != null) {
          for (int k = 0; k < keyPositions.size(); k++) {
            delete.setObject(k + 1, ValueConverter.convert(values[keyPositions.get(k)], types.get(keyPositions.get(k))));
          }
          delete.addBatch();
        }
        insert.addBatch();
        lastWatermark = rowSource.watermark() != null ? rowSource.watermark() : lastWatermark;
        if (++rows % BATCH == 0) {
          flush(delete, insert, mapping.target(), rowSource.position());
          if (cancelled.getAsBoolean()) {
            throw new LoadFailedException("Load cancelled at " + mapping.target() + " " + rowSource.position()
                + "; the previous data is unchanged");
          }
          long now = System.nanoTime();
          // Report the first batch at once (the load is visibly under way), then once a second.
          if (rows == BATCH || now - lastReport >= PROGRESS_NANOS) {
            lastReport = now;
            progress.accept(progress(mapping.target(), number, count, rows, rowSource.expectedRows(), now - started));
          }
        }
      }
      flush(delete, insert, mapping.target(), rowSource.position());
      progress.accept(progress(mapping.target(), number, count, rows, rows, System.nanoTime() - started));
    }
    Watermark.write(connection, target.name(),
        lastWatermark != null ? lastWatermark : (after == null ? null : after.value()), rows);
    return rows;
  }

  private static void flush(PreparedStatement delete, PreparedStatement insert, String table, String position)
      throws SQLException {
    try {
      if (delete != null) {
        delete.executeBatch();
      }
      insert.executeBatch();
    } catch (SQLException e) {
      throw new LoadFailedException("Load of " + table + " stopped in the batch ending at " + position + ": "
          + e.getMessage() + "; the previous data is unchanged", e);
    }
  }

  private static RowSource open(SchemaMapping.Source source, TableMapping mapping, Object after) throws Exception {
    if (source.isCsv()) {
      return CsvRowSource.open(Path.of(source.csvDirectory()), mapping);
    }
    Connection connection;
    try {
      connection = DriverManager.getConnection(source.jdbcUrl(), source.user(), source.password());
    } catch (SQLException e) {
      throw new LoadFailedException("Cannot connect to the source database " + source.jdbcUrl() + ": "
          + e.getMessage(), e);
    }
    try {
      return JdbcRowSource.open(connection, mapping, after);
    } catch (SQLException e) {
      connection.close();
      throw new LoadFailedException("The source cannot read " + mapping.target() + " from '" + mapping.from()
          + "': " + e.getMessage(), e);
    }
  }

  private static LoadProgress progress(String table, int number, int count, long rows, long expected, long nanos) {
    long rate = nanos == 0 ? 0 : rows * 1_000_000_000L / nanos;
    long left = expected < 0 || rate == 0 ? -1 : Math.max(0, expected - rows) / rate;
    return new LoadProgress(table, number, count, rows, expected, rate, left);
  }

  /** The last loaded watermark of a table, typed so it can be compared in the source again. */
  private record Watermark(Object value) {

    static Watermark read(Connection connection, String table) throws SQLException {
      try (var select = connection.prepareStatement(
          "select watermark, watermark_type from peersql_load_state where target_table = ?")) {
        select.setString(1, table);
        try (var rows = select.executeQuery()) {
          if (!rows.next() || rows.getString(1) == null) {
            return null;
          }
          var text = rows.getString(1);
          return new Watermark(switch (rows.getString(2)) {
            case "long" -> Long.parseLong(text);
            case "decimal" -> new BigDecimal(text);
            case "date" -> java.sql.Date.valueOf(LocalDate.parse(text));
            case "timestamp" -> Timestamp.valueOf(LocalDateTime.parse(text));
            default -> text;
          });
        }
      }
    }

    static void write(Connection connection, String table, Object value, long rows) throws SQLException {
      String text = null;
      String type = null;
      switch (value) {
        case null -> { }
        case Long l -> { text = l.toString(); type = "long"; }
        case Integer i -> { text = i.toString(); type = "long"; }
        case BigDecimal d -> { text = d.toPlainString(); type = "decimal"; }
        case java.sql.Date d -> { text = d.toLocalDate().toString(); type = "date"; }
        case LocalDate d -> { text = d.toString(); type = "date"; }
        case Timestamp t -> { text = t.toLocalDateTime().toString(); type = "timestamp"; }
        case LocalDateTime t -> { text = t.toString(); type = "timestamp"; }
        default -> { text = value.toString(); type = "string"; }
      }
      try (var delete = connection.prepareStatement("delete from peersql_load_state where target_table = ?")) {
        delete.setString(1, table);
        delete.executeUpdate();
      }
      try (var insert = connection.prepareStatement("insert into peersql_load_state "
          + "(target_table, watermark, watermark_type, row_count, loaded_at) values (?, ?, ?, ?, current_timestamp)")) {
        insert.setString(1, table);
        insert.setString(2, text);
        insert.setString(3, type);
        insert.setLong(4, rows);
        insert.executeUpdate();
      }
    }
  }

  /** The global tables a mapping writes, for callers that re-publish indexes after a load. */
  public static List<String> targets(SchemaMapping mapping) {
    return mapping.tables().stream().map(TableMapping::target).toList();
  }
}
