package io.peersql.query.distributed;

import java.util.List;
import org.apache.calcite.plan.RelOptLattice;
import org.apache.calcite.plan.RelOptMaterialization;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;

import static java.util.Objects.requireNonNull;

/**
 * The optimizer program of the requesting peer, in phases:
 * <ol>
 *   <li>Calcite's sub-query removal; correlated {@code EXISTS} / {@code NOT EXISTS} become
 *       semi- and anti-joins ({@link CorrelatedExistsRule}); Calcite's decorrelation and measure
 *       expansion;</li>
 *   <li>field trimming with {@link PeerFieldTrimmer}, so every peer's fragment returns only the
 *       columns the query uses;</li>
 *   <li>a rule-based phase that pushes filters into joins and into peers' fragments, then again
 *       for the filters {@link OrPredicateDerivation} derives from ORs in join conditions;</li>
 *   <li>heuristic join ordering: joins are gathered into a {@code MultiJoin} and re-built by
 *       {@link PeerJoinOrderRule} from the row counts the peers report, primary keys and
 *       co-location (Calcite's {@code LoptOptimizeJoinRule} for multi-joins with outer joins);</li>
 *   <li>eager aggregation ({@link PeerEagerAggregateRule}): aggregates partly computed below
 *       joins, inside the peers, where that shrinks what the peers ship;</li>
 *   <li>the cost-based phase (Volcano) with the pushdown rules registered by {@link PeerQuery},
 *       which decides what else runs at the peers (aggregates, top-N, co-located joins);</li>
 *   <li>{@link SemiJoinReduction}: join keys of a hash join's smaller side narrow the
 *       sub-queries of its larger side at run time;</li>
 *   <li>Calcite's final physical tweaks (calc).</li>
 * </ol>
 */
final class DistributedProgram {

  private DistributedProgram() {
  }

  static Program create() {
    var metadata = PeerMetadata.PROVIDER;
    return Programs.sequence(
        Programs.subQuery(metadata),
        existsToJoins(),
        Programs.decorrelate(),
        Programs.measure(metadata),
        DistributedProgram::trim,
        pushDown(),
        derivedFilters(),
        joinOrder(),
        eagerAggregation(),
        DistributedProgram::costBased,
        SemiJoinReduction::run,
        Programs.calc(metadata));
  }

  private static RelNode trim(RelOptPlanner planner, RelNode rel, RelTraitSet requiredOutputTraits,
      List<RelOptMaterialization> materializations, List<RelOptLattice> lattices) {
    var relBuilder = RelFactories.LOGICAL_BUILDER.create(rel.getCluster(), null);
    return new PeerFieldTrimmer(relBuilder).trim(rel);
  }

  private static Program existsToJoins() {
    var hep = new HepProgramBuilder()
        .addMatchOrder(HepMatchOrder.BOTTOM_UP)
        .addRuleCollection(List.of(
            CorrelatedExistsRule.EXISTS.toRule(),
            CorrelatedExistsRule.NOT_EXISTS.toRule()))
        .build();
    return Programs.of(hep, true, PeerMetadata.PROVIDER);
  }

  private static Program pushDown() {
    var hep = new HepProgramBuilder()
        .addMatchOrder(HepMatchOrder.BOTTOM_UP)
        .addRuleCollection(List.of(
            CoreRules.FILTER_INTO_JOIN,
            CoreRules.JOIN_CONDITION_PUSH,
            CoreRules.FILTER_MERGE,
            CoreRules.FILTER_PROJECT_TRANSPOSE,
            JoinFactorRule.CONFIG.toRule(),
            PeerFilterRule.CONFIG.toRule(),
            PeerProjectRule.CONFIG.toRule()))
        .build();
    return Programs.of(hep, false, PeerMetadata.PROVIDER);
  }

  /** Filters derived from ORs in join conditions, then pushed down like the others. */
  private static Program derivedFilters() {
    var push = pushDown();
    return (planner, rel, traits, materializations, lattices) -> {
      var derived = OrPredicateDerivation.derive(rel);
      return derived == rel ? rel : push.run(planner, derived, traits, materializations, lattices);
    };
  }

  private static Program joinOrder() {
    var hep = new HepProgramBuilder()
        .addMatchOrder(HepMatchOrder.BOTTOM_UP)
        .addRuleInstance(CoreRules.JOIN_TO_MULTI_JOIN)
        .addRuleInstance(PeerJoinOrderRule.CONFIG.toRule())
        .addRuleInstance(CoreRules.MULTI_JOIN_OPTIMIZE)
        .addRuleCollection(List.of(
            CoreRules.PROJECT_MERGE,
            CoreRules.PROJECT_REMOVE,
            PeerFilterRule.CONFIG.toRule(),
            PeerProjectRule.CONFIG.toRule()))
        .build();
    var program = Programs.of(hep, false, PeerMetadata.PROVIDER);
    return (planner, rel, traits, materializations, lattices) -> RelOptUtil.countJoins(rel) < 2
        ? rel : program.run(planner, rel, traits, materializations, lattices);
  }

  private static Program eagerAggregation() {
    var hep = new HepProgramBuilder()
        .addMatchOrder(HepMatchOrder.TOP_DOWN)
        .addRuleCollection(List.of(
            CoreRules.AGGREGATE_PROJECT_MERGE,
            CoreRules.PROJECT_JOIN_TRANSPOSE,
            CoreRules.PROJECT_MERGE,
            CoreRules.PROJECT_REMOVE,
            PeerEagerAggregateRule.INSTANCE))
        .build();
    var program = Programs.of(hep, false, PeerMetadata.PROVIDER);
    return (planner, rel, traits, materializations, lattices) -> RelOptUtil.countJoins(rel) < 1
        ? rel : program.run(planner, rel, traits, materializations, lattices);
  }

  private static RelNode costBased(RelOptPlanner planner, RelNode rel, RelTraitSet requiredOutputTraits,
      List<RelOptMaterialization> materializations, List<RelOptLattice> lattices) {
    planner.setRoot(rel);
    var root = rel.getTraitSet().equals(requiredOutputTraits)
        ? rel : planner.changeTraits(rel, requiredOutputTraits);
    planner.setRoot(root);
    return requireNonNull(planner.chooseDelegate().findBestExp(), "no executable plan");
  }
}
