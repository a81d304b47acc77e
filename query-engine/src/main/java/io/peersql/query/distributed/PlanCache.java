package io.peersql.query.distributed;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The plans one connection has prepared, by statement text, so that a statement it runs again
 * skips Calcite's planning and code generation (0.1-0.5 s for a TPC-H query, where the peers'
 * work may take less). A cached plan is exactly what a JDBC {@code PreparedStatement} executes
 * again: which peers to ask is decided at each execution from the overlay's indexes, and the
 * requester is the connection's own, so a cached plan always gives the current answer. What may
 * age are the row counts its join order was chosen from, so a plan is replanned after
 * {@link #LIFETIME}. Each connection has its own cache (it lives in the connection's
 * {@link DistributedSchema}), so plans never cross users, roles or schema versions.
 */
final class PlanCache {

  /** How long a plan is reused before it is planned again from fresh statistics. */
  static final Duration LIFETIME = Duration.ofMinutes(5);

  /** Most plans kept per connection (least recently used go first). */
  static final int CAPACITY = 128;

  /** What makes two preparations the same. */
  record Key(String sql, Type elementType, long maxRowCount, List<String> defaultSchema) {
  }

  private record Plan(CalcitePrepare.CalciteSignature<?> signature, long plannedAt) {
  }

  private final LongSupplier clock;
  private final Map<Key, Plan> plans = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Plan> eldest) {
      return size() > CAPACITY;
    }
  };

  PlanCache() {
    this(System::nanoTime);
  }

  PlanCache(LongSupplier clock) {
    this.clock = clock;
  }

  /** The plan prepared for {@code key} within its lifetime, or null. */
  synchronized CalcitePrepare.@Nullable CalciteSignature<?> get(Key key) {
    var entry = plans.get(key);
    if (entry == null) {
      return null;
    }
    if (clock.getAsLong() - entry.plannedAt() > LIFETIME.toNanos()) {
      plans.remove(key);
      return null;
    }
    return entry.signature();
  }

  synchronized void put(Key key, CalcitePrepare.CalciteSignature<?> signature) {
    plans.put(key, new Plan(signature, clock.getAsLong()));
  }

  synchronized int size() {
    return plans.size();
  }

  /** Whether a statement's plan may be kept: queries, not EXPLAIN (which shows a planning). */
  static boolean cacheable(String sql) {
    var text = sql.stripLeading();
    return !text.regionMatches(true, 0, "explain", 0, "explain".length());
  }
}
