package io.peersql.query.distributed;

import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexUtil;

/**
 * Rule that matches a {@code Join} whose condition is an OR of branches sharing conjuncts (TPC-H
 * Q19: {@code (p_partkey = l_partkey and ...) or (p_partkey = l_partkey and ...)}) and pulls the
 * shared conjuncts out, so the equi-join key becomes visible and the join is hashed instead of
 * nested-looped over rows fetched from peers. Registered by {@link PeerQuery}.
 */
final class JoinFactorRule extends RelRule<PeerRuleConfig> {

  static final PeerRuleConfig CONFIG = PeerRuleConfig.of("JoinFactorRule",
      b0 -> b0.operand(LogicalJoin.class).anyInputs(),
      JoinFactorRule::new);

  /** Creates a JoinFactorRule. */
  JoinFactorRule(PeerRuleConfig config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalJoin join = call.rel(0);
    var condition = join.getCondition();
    var factored = RexUtil.pullFactors(join.getCluster().getRexBuilder(), condition);
    if (factored.equals(condition)) {
      return;
    }
    call.transformTo(join.copy(join.getTraitSet(), factored, join.getLeft(), join.getRight(),
        join.getJoinType(), join.isSemiJoinDone()));
  }
}
