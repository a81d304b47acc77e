package io.peersql.baton.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChurnTest {

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void joinsAndLeavesUnderLoadKeepInvariantsAtEveryStep(long seed) {
    var s = new ChurnScenario(seed, 0.0);
    s.build(20);
    s.run(150, false, false);
    s.settle();
    assertThat(s.leaves).isPositive();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12, 13, 14, 15, 16})
  void crashesAreRepairedWithoutLosingEntries(long seed) {
    var s = new ChurnScenario(seed, 0.01);
    s.build(24);
    s.run(150, true, false);
    s.settle();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {21, 22, 23, 24})
  void partitionsAndLossKeepInvariants(long seed) {
    var s = new ChurnScenario(seed, 0.02);
    s.build(24);
    s.run(120, true, true);
    s.settle();
  }
}
