package io.peersql.query.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeySetFilterTest {

  @Test
  void everyKeyPassesAndFewOthersDo() {
    var random = new Random(7);
    var keys = new ArrayList<Object>();
    for (int i = 0; i < 30_000; i++) {
      keys.add(random.nextLong(1_000_000_000L));
    }
    var test = KeySetFilter.of(1, keys).tester();
    for (var key : keys) {
      assertThat(test.passes(new Object[] {"x", key})).as("key %s", key).isTrue();
    }
    int passed = 0;
    int tried = 100_000;
    for (int i = 0; i < tried; i++) {
      // odd values above the keys' range: certainly absent
      if (test.mayContain(2_000_000_001L + 2L * i)) {
        passed++;
      }
    }
    assertThat((double) passed / tried).isLessThan(2 * KeySetFilter.FALSE_POSITIVES);
  }

  @Test
  void wholeNumbersMatchByValueAndTextIgnoresTrailingBlanks() {
    var test = KeySetFilter.of(0, List.of(42L, "BUILDING", 7)).tester();
    assertThat(test.mayContain(42)).isTrue();
    assertThat(test.mayContain((short) 42)).isTrue();
    assertThat(test.mayContain(7L)).isTrue();
    assertThat(test.mayContain("BUILDING  ")).isTrue();
    assertThat(test.passes(new Object[] {null})).as("a NULL key joins nothing").isFalse();
    assertThatThrownBy(() -> test.mayContain(1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> test.passes(new Object[0])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void travelsInsideASubQueryAsJson() throws Exception {
    var filter = KeySetFilter.of(2, List.of(1L, 2L, 3L));
    var sent = new SubQuery("q", "select 1", List.of(), List.of("orders"), new Requester("u", "r", "peer1"), filter);
    var json = new ObjectMapper();
    var received = json.readValue(json.writeValueAsBytes(sent), SubQuery.class);
    assertThat(received).isEqualTo(sent);
    assertThat(received.keyFilter().tester().mayContain(3L)).isTrue();
    assertThat(received.withSql("select 2").keyFilter()).isEqualTo(filter);
    var plain = json.readValue("{\"queryId\":\"q\",\"sql\":\"select 1\",\"tables\":[\"t\"],"
        + "\"requester\":{\"user\":\"u\",\"role\":\"r\",\"peerId\":\"p\"}}", SubQuery.class);
    assertThat(plain.keyFilter()).isNull();
  }

  @Test
  void malformedBitsAreRefused() {
    assertThatThrownBy(() -> new KeySetFilter(0, "AAAA", 3).tester()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeySetFilter(-1, "", 3)).isInstanceOf(IllegalArgumentException.class);
  }
}
