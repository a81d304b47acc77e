package io.peersql.query.testing;

import io.peersql.query.peer.PeerLocator;
import io.peersql.query.peer.PeerRef;
import io.peersql.query.peer.ValueBucket;
import io.peersql.query.schema.ColumnType;
import io.peersql.query.schema.GlobalSchema;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A {@link PeerLocator} built the way the overlay's indexer will publish it: for each peer and
 * table, its row count and the min/max of every range-indexed column (one histogram bucket per
 * peer, with rows and distinct values), read from the peer's store.
 */
public final class StoreIndexLocator implements PeerLocator {

  private record Entry(PeerRef peer, long rows, Map<String, Comparable<Object>[]> ranges,
      Map<String, ValueBucket> buckets) {
  }

  private final Map<String, List<Entry>> entries = new HashMap<>();

  /** Indexes the given peers' stores. */
  public StoreIndexLocator(GlobalSchema schema, List<TestPeer> peers) throws SQLException {
    for (var peer : peers) {
      try (var connection = peer.store().connect(); var statement = connection.createStatement()) {
        for (var table : schema.tables()) {
          long rows;
          try (var result = statement.executeQuery("select count(*) from " + table.name())) {
            result.next();
            rows = result.getLong(1);
          }
          if (rows == 0) {
            continue;
          }
          var ranges = new HashMap<String, Comparable<Object>[]>();
          var buckets = new HashMap<String, ValueBucket>();
          for (var column : table.rangeIndexed()) {
            var type = table.columns().get(table.columnIndex(column)).type();
            try (var result = statement.executeQuery(
                "select min(" + column + "), max(" + column + "), count(" + column + "), count(distinct " + column
                    + ") from " + table.name())) {
              result.next();
              @SuppressWarnings("unchecked")
              Comparable<Object>[] range = new Comparable[] {
                  value(result, 1, type), value(result, 2, type)};
              ranges.put(column, range);
              buckets.put(column, new ValueBucket(range[0], range[1], result.getLong(3), result.getLong(4)));
            }
          }
          entries.computeIfAbsent(table.name(), t -> new ArrayList<>()).add(new Entry(peer.ref(), rows, ranges, buckets));
        }
      }
    }
  }

  private static Comparable<?> value(java.sql.ResultSet result, int column, ColumnType type) throws SQLException {
    return switch (type) {
      case BIGINT, INTEGER -> result.getLong(column);
      case DATE -> result.getObject(column, LocalDate.class);
      case DECIMAL -> result.getBigDecimal(column);
      default -> result.getString(column);
    };
  }

  @Override
  public List<PeerRef> peersHolding(String table) {
    return entries.getOrDefault(table, List.of()).stream().map(Entry::peer).toList();
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public List<PeerRef> peersOverlapping(String table, String column, Comparable<?> low, Comparable<?> high) {
    var result = new ArrayList<PeerRef>();
    for (var entry : entries.getOrDefault(table, List.of())) {
      var range = entry.ranges().get(column);
      if (range == null
          || ((low == null || ((Comparable) low).compareTo(range[1]) <= 0)
              && (high == null || ((Comparable) high).compareTo(range[0]) >= 0))) {
        result.add(entry.peer());
      }
    }
    return result;
  }

  /** One bucket per peer: the column's min and max there, with its rows and distinct values. */
  @Override
  public List<ValueBucket> histogram(String table, String column) {
    return entries.getOrDefault(table, List.of()).stream()
        .map(entry -> entry.buckets().get(column))
        .filter(java.util.Objects::nonNull)
        .toList();
  }

  @Override
  public OptionalLong rowCount(PeerRef peer, String table) {
    return entries.getOrDefault(table, List.of()).stream().filter(e -> e.peer().equals(peer))
        .mapToLong(Entry::rows).findFirst()
        .stream().mapToObj(OptionalLong::of).findFirst().orElse(OptionalLong.empty());
  }
}
