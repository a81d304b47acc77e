package io.peersql.query.distributed;

import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexUtil;

/**
 * Rule that matches a {@code Project} on a {@link PeerQuery} and moves it into every peer's
 * fragment when the store can compute all its expressions, so peers send only needed columns.
 */
final class PeerProjectRule extends RelRule<PeerRuleConfig> {

  static final PeerRuleConfig CONFIG = PeerRuleConfig.of("PeerProjectRule",
      b0 -> b0.operand(LogicalProject.class).oneInput(b1 ->
          b1.operand(PeerQuery.class).predicate(PeerQuery::acceptsPushdown).noInputs()),
      PeerProjectRule::new);

  /** Creates a PeerProjectRule. */
  PeerProjectRule(PeerRuleConfig config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalProject project = call.rel(0);
    PeerQuery query = call.rel(1);
    for (var expression : project.getProjects()) {
      if (RexOver.containsOver(expression) || RexUtil.containsCorrelation(expression)
          || !PushableRex.isPushable(expression)) {
        return;
      }
    }
    var sources = new int[project.getProjects().size()];
    for (int i = 0; i < sources.length; i++) {
      sources[i] = project.getProjects().get(i) instanceof RexInputRef ref ? ref.getIndex() : -1;
    }
    var partitioning = query.partitioning() == null ? null : query.partitioning().project(sources);
    var fragment = project.copy(project.getTraitSet(), java.util.List.of(query.fragment()));
    call.transformTo(query.with(fragment, PeerQuery.Stage.ROWS, query.selection(), partitioning));
  }
}
