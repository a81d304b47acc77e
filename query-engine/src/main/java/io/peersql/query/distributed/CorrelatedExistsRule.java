package io.peersql.query.distributed;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.logical.LogicalCorrelate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Rules that turn what Calcite's sub-query removal makes of a correlated {@code EXISTS} (an inner
 * correlate with {@code SELECT DISTINCT TRUE .. WHERE cond}) into a semi-join on {@code cond},
 * and of {@code NOT EXISTS} (a left correlate, filtered on the marker being null) into an
 * anti-join, before decorrelation. Calcite decorrelates a condition that is not a plain equality
 * (TPC-H Q21: {@code l2.l_suppkey <> l1.l_suppkey}) by recomputing the outer query as a value
 * generator; as joins, the planner can instead push co-located ones into the peers.
 */
final class CorrelatedExistsRule extends RelRule<PeerRuleConfig> {

  /** {@code EXISTS}: inner correlate with a distinct-TRUE right side. */
  static final PeerRuleConfig EXISTS = PeerRuleConfig.of("CorrelatedExistsRule:EXISTS",
      b0 -> b0.operand(LogicalCorrelate.class)
          .predicate(correlate -> correlate.getJoinType() == JoinRelType.INNER).anyInputs(),
      CorrelatedExistsRule::new);

  /** {@code NOT EXISTS}: a filter on "marker is null" over a left correlate. */
  static final PeerRuleConfig NOT_EXISTS = PeerRuleConfig.of("CorrelatedExistsRule:NOT_EXISTS",
      b0 -> b0.operand(LogicalFilter.class).oneInput(b1 -> b1.operand(LogicalCorrelate.class)
          .predicate(correlate -> correlate.getJoinType() == JoinRelType.LEFT).anyInputs()),
      CorrelatedExistsRule::new);

  /** Creates a CorrelatedExistsRule. */
  CorrelatedExistsRule(PeerRuleConfig config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    if (call.rel(0) instanceof LogicalCorrelate correlate) {
      var semi = join(correlate, JoinRelType.SEMI);
      if (semi != null) {
        call.transformTo(withMarker(correlate, semi, correlate.getCluster().getRexBuilder().makeLiteral(true)));
      }
      return;
    }
    LogicalFilter filter = call.rel(0);
    LogicalCorrelate correlate = call.rel(1);
    int marker = correlate.getRowType().getFieldCount() - 1;
    var rest = new ArrayList<RexNode>();
    boolean found = false;
    for (var conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
      if (!found && isNullOf(conjunct, marker)) {
        found = true;
      } else {
        rest.add(conjunct);
      }
    }
    if (!found || rest.stream().anyMatch(c -> RelOptUtil.InputFinder.bits(c).get(marker))) {
      return;
    }
    var anti = join(correlate, JoinRelType.ANTI);
    if (anti == null) {
      return;
    }
    var rexBuilder = correlate.getCluster().getRexBuilder();
    RelNode result = rest.isEmpty() ? anti
        : LogicalFilter.create(anti, RexUtil.composeConjunction(rexBuilder, rest));
    var markerType = correlate.getRowType().getFieldList().get(marker).getType();
    call.transformTo(withMarker(correlate, result, rexBuilder.makeNullLiteral(markerType)));
  }

  private static boolean isNullOf(RexNode conjunct, int field) {
    if (conjunct.getKind() == SqlKind.IS_NULL) {
      return ((RexCall) conjunct).getOperands().get(0) instanceof RexInputRef ref && ref.getIndex() == field;
    }
    if (conjunct.getKind() == SqlKind.NOT && ((RexCall) conjunct).getOperands().get(0) instanceof RexCall inner
        && inner.getKind() == SqlKind.IS_NOT_NULL) {
      return inner.getOperands().get(0) instanceof RexInputRef ref && ref.getIndex() == field;
    }
    return false;
  }

  /** The correlate's left side joined (semi or anti) with the rows its condition reads, or null. */
  private static @Nullable RelNode join(LogicalCorrelate correlate, JoinRelType type) {
    // The right side must be SELECT DISTINCT TRUE FROM (..) WHERE cond, cond using the correlation.
    if (!(correlate.getRight().stripped() instanceof Aggregate aggregate)
        || !aggregate.getAggCallList().isEmpty() || aggregate.getGroupCount() != 1) {
      return null;
    }
    var below = aggregate.getInput().stripped();
    while (below instanceof Project project && project.getProjects().stream().allMatch(
        e -> !RexUtil.containsCorrelation(e))) {
      below = project.getInput().stripped();
    }
    if (!(below instanceof LogicalFilter filter)) {
      return null;
    }
    var rows = filter.getInput().stripped();
    if (!RelOptUtil.getVariablesUsed(rows).isEmpty()) {
      return null;
    }
    var id = correlate.getCorrelationId();
    int leftCount = correlate.getLeft().getRowType().getFieldCount();
    var condition = rewrite(filter.getCondition(), id, leftCount);
    if (condition == null) {
      return null;
    }
    return LogicalJoin.create(correlate.getLeft(), rows, List.of(), condition, Set.of(), type);
  }

  /** The condition over (left fields, right fields), or null if it uses another correlation. */
  private static @Nullable RexNode rewrite(RexNode condition, CorrelationId id, int leftCount) {
    var foreign = new boolean[1];
    var rewritten = condition.accept(new RexShuttle() {
      @Override
      public RexNode visitInputRef(RexInputRef ref) {
        return new RexInputRef(ref.getIndex() + leftCount, ref.getType());
      }

      @Override
      public RexNode visitFieldAccess(RexFieldAccess access) {
        if (access.getReferenceExpr() instanceof RexCorrelVariable variable) {
          if (variable.id.equals(id)) {
            return new RexInputRef(access.getField().getIndex(), access.getType());
          }
          foreign[0] = true;
        }
        return super.visitFieldAccess(access);
      }

      @Override
      public RexNode visitCorrelVariable(RexCorrelVariable variable) {
        if (!variable.id.equals(id)) {
          foreign[0] = true;
        }
        return variable;
      }
    });
    return foreign[0] || RexUtil.containsCorrelation(rewritten) ? null : rewritten;
  }

  /** The correlate's row type restored: the left fields, then the marker. */
  private static RelNode withMarker(LogicalCorrelate correlate, RelNode input, RexNode marker) {
    var rexBuilder = correlate.getCluster().getRexBuilder();
    var projects = new ArrayList<RexNode>();
    for (int i = 0; i < input.getRowType().getFieldCount(); i++) {
      projects.add(rexBuilder.makeInputRef(input, i));
    }
    var markerType = correlate.getRowType().getFieldList().get(projects.size()).getType();
    projects.add(rexBuilder.makeCast(markerType, marker, true, false));
    return LogicalProject.create(input, List.of(), projects, correlate.getRowType().getFieldNames(), Set.of());
  }
}
