package io.peersql.query.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.junit.jupiter.api.Test;

/** A connection's plans: kept by text, for a limited time and number. */
class PlanCacheTest {

  private static CalcitePrepare.CalciteSignature<Object> signature(String sql) {
    return new CalcitePrepare.CalciteSignature<>(sql, List.of(), java.util.Map.of(), null, List.of(),
        null, null, List.of(), -1, null, null);
  }

  private static PlanCache.Key key(String sql) {
    return new PlanCache.Key(sql, Object[].class, -1, List.of("TPCH"));
  }

  @Test
  void aPlanIsReusedWithinItsLifetimeAndPlannedAgainAfter() {
    var now = new AtomicLong();
    var cache = new PlanCache(now::get);
    var plan = signature("select 1");
    cache.put(key("select 1"), plan);

    now.addAndGet(PlanCache.LIFETIME.minus(Duration.ofSeconds(1)).toNanos());
    assertThat(cache.get(key("select 1"))).isSameAs(plan);
    assertThat(cache.get(key("select 2"))).isNull();
    assertThat(cache.get(new PlanCache.Key("select 1", Object[].class, 10, List.of("TPCH")))).isNull();

    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(cache.get(key("select 1"))).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  void theLeastRecentlyUsedPlanGoesFirst() {
    var cache = new PlanCache(() -> 0L);
    for (int i = 0; i <= PlanCache.CAPACITY; i++) {
      cache.put(key("select " + i), signature("select " + i));
      cache.get(key("select 0"));
    }
    assertThat(cache.size()).isEqualTo(PlanCache.CAPACITY);
    assertThat(cache.get(key("select 0"))).isNotNull();
    assertThat(cache.get(key("select 1"))).isNull();
  }

  @Test
  void explainIsNeverKept() {
    assertThat(PlanCache.cacheable("  EXPLAIN plan for select 1")).isFalse();
    assertThat(PlanCache.cacheable("select 1")).isTrue();
  }
}
