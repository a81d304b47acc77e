package io.peersql.query.distributed;

import java.util.ArrayList;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;

/**
 * Rule that matches a {@code Filter} on a {@link PeerQuery} and pushes the conjuncts a store can
 * evaluate into every peer's fragment (narrowing the peers by range); the rest stays above.
 */
final class PeerFilterRule extends RelRule<PeerRuleConfig> {

  static final PeerRuleConfig CONFIG = PeerRuleConfig.of("PeerFilterRule",
      b0 -> b0.operand(LogicalFilter.class).oneInput(b1 ->
          b1.operand(PeerQuery.class).predicate(PeerQuery::acceptsPushdown).noInputs()),
      PeerFilterRule::new);

  /** Creates a PeerFilterRule. */
  PeerFilterRule(PeerRuleConfig config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalFilter filter = call.rel(0);
    PeerQuery query = call.rel(1);
    var pushed = new ArrayList<RexNode>();
    var kept = new ArrayList<RexNode>();
    for (var conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
      if (PushableRex.isPushable(conjunct) && !RexUtil.containsCorrelation(conjunct)) {
        pushed.add(conjunct);
      } else {
        kept.add(conjunct);
      }
    }
    if (pushed.isEmpty()) {
      return;
    }
    var rexBuilder = filter.getCluster().getRexBuilder();
    var builder = call.builder()
        .push(query.filter(RexUtil.composeConjunction(rexBuilder, pushed)));
    if (!kept.isEmpty()) {
      builder.filter(filter.getVariablesSet(), kept);
    }
    call.transformTo(builder.build());
  }
}
