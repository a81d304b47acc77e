package io.peersql.query.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.query.testing.Answers;
import io.peersql.query.testing.TpchNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** All 22 TPC-H queries over three peers at SF 0.01 give the answers of one database holding all. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// Tagged "tpch" and left out of the default build: on the 2-core build machine it ran for more
// than ten minutes without finishing, and it has not yet been seen to pass. Run it with
// ./mvnw -B -pl query-engine -am verify -Dgroups=tpch -Dpeersql.query.excludedGroups=none
@Tag("tpch")
class TpchQueriesTest {

  private TpchNetwork network;

  @BeforeAll
  void start() throws Exception {
    network = TpchNetwork.start(0.01, 3);
  }

  @AfterAll
  void stop() {
    network.close();
  }

  @ParameterizedTest(name = "Q{0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22})
  void answersMatchTheReference(int query) throws Exception {
    var sql = Answers.tpchQuery(query);
    try (var peersql = network.connect(); var reference = network.reference()) {
      var expected = Answers.run(reference, Answers.referenceQuery(query));
      var actual = Answers.run(peersql, sql);
      assertThat(expected).as("reference answer of Q%d", query).isNotEmpty();
      assertThat(Answers.difference(actual, expected, sql.contains("order by")))
          .as("Q%d differs from the reference", query).isNull();
    }
  }
}
