package io.peersql.peer.store;

import io.peersql.peer.PeerProperties.TpchSlice;
import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Creates the TPC-H tables in the peer's store and fills them with the peer's slice of the sample
 * data, once.
 *
 * <p>The whole slice is written in one transaction together with a marker row in
 * {@code peersql_slice}, so a peer that stops midway keeps an empty store and loads again on the
 * next start. A store that already holds a different slice is refused rather than mixed.
 */
public final class TpchSliceLoader {

  private static final Logger log = LoggerFactory.getLogger(TpchSliceLoader.class);
  private static final int BATCH = 1_000;
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

  private final DataSource store;

  /** Creates a TpchSliceLoader writing into the given store. */
  public TpchSliceLoader(DataSource store) {
    this.store = requireNonNull(store, "store is null");
  }

  /** Creates the tables if missing. */
  public void createTables() throws SQLException {
    try (var connection = store.getConnection(); var statement = connection.createStatement()) {
      for (var table : TpchTables.all()) {
        statement.execute(TpchTables.createTable(table));
      }
      statement.execute("create table if not exists peersql_slice ("
          + "scale decimal(12,4) not null, part integer not null, part_count integer not null, "
          + "loaded_at timestamp not null)");
    }
  }

  /**
   * Creates, if missing, the usual TPC-H indexes on the foreign keys. The query engine joins
   * inside a store by sending it joins over sub-selects, which H2 evaluates by looking rows up
   * per outer row: without these indexes such a join is a nested loop over whole tables. On
   * PostgreSQL it also refreshes the tables' planner statistics.
   */
  public void createIndexes() throws SQLException {
    try (var connection = store.getConnection(); var statement = connection.createStatement()) {
      for (var index : TpchTables.FOREIGN_KEY_INDEXES.entrySet()) {
        var table = index.getValue().getFirst();
        var columns = index.getValue().subList(1, index.getValue().size());
        statement.execute("create index if not exists " + index.getKey() + " on " + table
            + " (" + String.join(", ", columns) + ")");
      }
      if (connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres")) {
        // PostgreSQL plans from statistics that autovacuum gathers only some time after a load.
        for (var table : TpchTables.all()) {
          statement.execute("analyze " + table.getTableName());
        }
      }
    }
  }

  /**
   * Loads the slice unless the store already holds it.
   *
   * @return the rows loaded per table, empty if the slice was already there
   * @throws IllegalStateException if the store holds a different slice
   */
  public Map<String, Long> loadIfEmpty(TpchSlice slice) throws SQLException {
    createTables();
    try (var connection = store.getConnection()) {
      var present = loadedSlice(connection);
      if (present != null) {
        if (!present.equals(describe(slice))) {
          throw new IllegalStateException("The peer's store holds TPC-H " + present
              + " but this peer is configured for " + describe(slice)
              + "; start it with a fresh data directory or the original settings");
        }
        log.info("Store already holds TPC-H {}", present);
        return Map.of();
      }
      connection.setAutoCommit(false);
      try {
        var counts = new LinkedHashMap<String, Long>();
        for (var table : TpchTables.all()) {
          if (TpchTables.isReference(table) && !slice.holdsReferenceTables()) {
            continue;
          }
          try (var statement = connection.createStatement()) {
            statement.execute("delete from " + table.getTableName());
          }
          counts.put(table.getTableName(), load(connection, table, slice));
        }
        try (var marker = connection.prepareStatement(
            "insert into peersql_slice (scale, part, part_count, loaded_at) values (?, ?, ?, current_timestamp)")) {
          marker.setBigDecimal(1, BigDecimal.valueOf(slice.scale()));
          marker.setInt(2, slice.part());
          marker.setInt(3, slice.partCount());
          marker.executeUpdate();
        }
        connection.commit();
        log.info("Loaded TPC-H {}: {}", describe(slice), counts);
        return counts;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }

  private static String loadedSlice(Connection connection) throws SQLException {
    try (var statement = connection.createStatement();
        var rows = statement.executeQuery("select scale, part, part_count from peersql_slice")) {
      if (!rows.next()) {
        return null;
      }
      return describe(rows.getBigDecimal(1).doubleValue(), rows.getInt(2), rows.getInt(3));
    }
  }

  private static String describe(TpchSlice slice) {
    return describe(slice.scale(), slice.part(), slice.partCount());
  }

  private static String describe(double scale, int part, int partCount) {
    return "scale " + BigDecimal.valueOf(scale).stripTrailingZeros().toPlainString()
        + " part " + part + " of " + partCount;
  }

  private static <E extends TpchEntity> long load(Connection connection, TpchTable<E> table, TpchSlice slice)
      throws SQLException {
    // Reference tables are generated whole (the generator yields them only for a single part).
    var generator = TpchTables.isReference(table)
        ? table.createGenerator(slice.scale(), 1, 1)
        : table.createGenerator(slice.scale(), slice.part(), slice.partCount());
    var columns = table.getColumns();
    long rows = 0;
    long started = System.nanoTime();
    long lastReport = started;
    try (var insert = connection.prepareStatement(TpchTables.insert(table))) {
      for (E entity : generator) {
        for (int i = 0; i < columns.size(); i++) {
          bind(insert, i + 1, columns.get(i), entity);
        }
        insert.addBatch();
        if (++rows % BATCH == 0) {
          insert.executeBatch();
          long now = System.nanoTime();
          if (now - lastReport > PROGRESS_EVERY.toNanos()) {
            lastReport = now;
            log.info("Loading {}: {} rows, {} rows/s", table.getTableName(), rows,
                rows * 1_000_000_000L / Math.max(1, now - started));
          }
        }
      }
      insert.executeBatch();
    }
    return rows;
  }

  private static <E extends TpchEntity> void bind(PreparedStatement insert, int index, TpchColumn<E> column, E entity)
      throws SQLException {
    switch (column.getType().getBase()) {
      case IDENTIFIER -> insert.setLong(index, column.getIdentifier(entity));
      case INTEGER -> insert.setInt(index, column.getInteger(entity));
      case DATE -> insert.setDate(index, Date.valueOf(LocalDate.ofEpochDay(column.getDate(entity))));
      case DOUBLE -> insert.setBigDecimal(index,
          BigDecimal.valueOf(column.getDouble(entity)).setScale(2, RoundingMode.HALF_UP));
      case VARCHAR -> insert.setString(index, column.getString(entity));
    }
  }
}
