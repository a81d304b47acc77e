package io.peersql.baton;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OrderedKeyTest {

  private static <T> void assertOrderPreserved(List<T> values, Comparator<T> natural) {
    var sortedValues = new ArrayList<>(values);
    sortedValues.sort(natural);
    var byKey = new ArrayList<>(values);
    byKey.sort(Comparator.comparing(v -> OrderedKey.of(v)));
    for (int i = 0; i < values.size(); i++) {
      assertThat(natural.compare(byKey.get(i), sortedValues.get(i))).isZero();
    }
  }

  @Test
  void longKeysSortLikeLongs() {
    var r = new Random(1);
    var values = new ArrayList<Long>(List.of(Long.MIN_VALUE, -1L, 0L, 1L, Long.MAX_VALUE));
    for (int i = 0; i < 500; i++) {
      values.add(r.nextLong());
    }
    assertOrderPreserved(values, Comparator.naturalOrder());
  }

  @Test
  void decimalKeysSortNumericallyAndIgnoreScale() {
    var r = new Random(2);
    var values = new ArrayList<BigDecimal>();
    for (String s : new String[] {"0", "-0.001", "0.001", "1", "1.5", "1.55", "-1.5", "-1.55",
        "10", "9.99", "-10", "123456789.123456789", "-0.1", "100", "1e-20", "-1e20"}) {
      values.add(new BigDecimal(s));
    }
    for (int i = 0; i < 500; i++) {
      values.add(BigDecimal.valueOf(r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6)));
    }
    assertOrderPreserved(values, Comparator.naturalOrder());
    assertThat(OrderedKey.of(new BigDecimal("1.0"))).isEqualTo(OrderedKey.of(new BigDecimal("1.00")));
  }

  @Test
  void stringAndDateKeysSortNaturally() {
    assertOrderPreserved(new ArrayList<>(List.of("", "a", "a\u0000", "a\u0000b", "ab", "b", "Z",
        "zz", "\u00e9t\u00e9")), Comparator.naturalOrder());
    assertOrderPreserved(new ArrayList<>(List.of(LocalDate.of(1970, 1, 1), LocalDate.of(1969, 12, 31),
        LocalDate.of(2024, 2, 29), LocalDate.of(1, 1, 1))), Comparator.naturalOrder());
  }

  @Test
  void compositeKeysSortAsTuplesAndPrefixesBoundScans() {
    var a = OrderedKey.of("orders", "o_totalprice", new BigDecimal("10.5"));
    var b = OrderedKey.of("orders", "o_totalprice", new BigDecimal("100"));
    var c = OrderedKey.of("orders", "o_totalpricex", new BigDecimal("1"));
    var d = OrderedKey.of("ordersx", "a", 1L);
    assertThat(a).isLessThan(b);
    assertThat(b).isLessThan(c);
    assertThat(c).isLessThan(d);
    var prefix = OrderedKey.builder().add("orders").add("o_totalprice").build();
    assertThat(prefix).isLessThan(a);
    assertThat(prefix.prefixEnd()).isGreaterThan(b).isLessThan(c);
  }

  @Test
  void midpointLiesStrictlyBetween() {
    var r = new Random(3);
    for (int i = 0; i < 1000; i++) {
      byte[] x = new byte[r.nextInt(4)];
      byte[] y = new byte[1 + r.nextInt(4)];
      r.nextBytes(x);
      r.nextBytes(y);
      var lo = OrderedKey.ofBytes(x);
      var hi = OrderedKey.ofBytes(y);
      if (lo.compareTo(hi) > 0) {
        var t = lo;
        lo = hi;
        hi = t;
      }
      if (lo.equals(hi)) {
        continue;
      }
      var mid = OrderedKey.midpoint(lo, hi);
      if (mid != null) {
        assertThat(mid).isGreaterThan(lo).isLessThan(hi);
      }
      assertThat(OrderedKey.midpoint(lo, null)).isGreaterThan(lo);
    }
  }
}
