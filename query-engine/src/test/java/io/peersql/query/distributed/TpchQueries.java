package io.peersql.query.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.query.testing.Answers;
import io.peersql.query.testing.TpchNetwork;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 22 TPC-H queries over a network of peers give the answers of one H2 database holding all
 * the data (numbers within 0.01: Calcite's AVG keeps the column's scale). Subclasses choose the
 * scale factor and the number of peers. {@code -Dpeersql.tpch.queries=5,9} runs only those queries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TpchQueries {

  private final double scale;
  private final int peers;
  private TpchNetwork network;

  TpchQueries(double scale, int peers) {
    this.scale = scale;
    this.peers = peers;
  }

  @BeforeAll
  void start() throws Exception {
    network = TpchNetwork.start(scale, peers);
  }

  @AfterAll
  void stop() {
    if (network != null) {
      network.close();
    }
  }

  static IntStream queries() {
    var chosen = System.getProperty("peersql.tpch.queries", "").trim();
    return chosen.isEmpty() ? IntStream.rangeClosed(1, 22)
        : Arrays.stream(chosen.split(",")).map(String::trim).mapToInt(Integer::parseInt);
  }

  @ParameterizedTest(name = "Q{0}")
  @MethodSource("queries")
  void answersMatchTheReference(int query) throws Exception {
    var sql = Answers.tpchQuery(query);
    try (var peersql = network.connect(); var reference = network.reference()) {
      var expected = Answers.run(reference, Answers.referenceQuery(query));
      var actual = Answers.run(peersql, sql);
      assertThat(expected).as("reference answer of Q%d", query).isNotEmpty();
      assertThat(Answers.difference(actual, expected, sql.contains("order by")))
          .as("Q%d at SF %s over %d peers differs from the reference", query, scale, peers).isNull();
    }
  }
}
