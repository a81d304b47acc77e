package io.peersql.query.distributed;

import java.util.List;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.util.ImmutableBitSet;

import static java.util.Objects.requireNonNull;

/**
 * Rule that matches a {@code Join} of two {@link PeerQuery}s whose tables are co-located and whose
 * condition equates their co-location keys (for example {@code l_orderkey = o_orderkey}): every
 * pair of matching rows lives on one peer, so the join runs inside each peer. An inner join then
 * needs only the peers that hold both sides.
 */
final class PeerColocatedJoinRule extends RelRule<PeerRuleConfig> {

  static final PeerRuleConfig CONFIG = PeerRuleConfig.of("PeerColocatedJoinRule",
      b0 -> b0.operand(LogicalJoin.class).inputs(
          b1 -> b1.operand(PeerQuery.class).predicate(PeerColocatedJoinRule::partitioned).noInputs(),
          b2 -> b2.operand(PeerQuery.class).predicate(PeerColocatedJoinRule::partitioned).noInputs()),
      PeerColocatedJoinRule::new);

  /** Creates a PeerColocatedJoinRule. */
  PeerColocatedJoinRule(PeerRuleConfig config) {
    super(config);
  }

  private static boolean partitioned(PeerQuery query) {
    return query.acceptsPushdown() && query.partitioning() != null;
  }

  /** Whether the peers can run {@code join} of {@code left} and {@code right} inside each of them. */
  static boolean colocated(Join join, PeerQuery left, PeerQuery right) {
    if (!join.getVariablesSet().isEmpty()
        || !PushableRex.isPushable(join.getCondition())
        || RexUtil.containsCorrelation(join.getCondition())) {
      return false;
    }
    var type = join.getJoinType();
    if (type != JoinRelType.INNER && type != JoinRelType.LEFT && type != JoinRelType.SEMI
        && type != JoinRelType.ANTI) {
      return false;
    }
    var info = join.analyzeCondition();
    return onPartitioningKeys(left, right, info.leftKeys, info.rightKeys);
  }

  /**
   * Whether two peer queries' tables are co-located and one pair of the given equi-join fields
   * (numbered in each peer query's output) are their co-location keys.
   */
  static boolean onPartitioningKeys(PeerQuery left, PeerQuery right, List<Integer> leftKeys,
      List<Integer> rightKeys) {
    var leftPartitioning = left.partitioning();
    var rightPartitioning = right.partitioning();
    if (!partitioned(left) || !partitioned(right) || leftPartitioning == null || rightPartitioning == null
        || !leftPartitioning.group().equals(rightPartitioning.group()) || left.runtime() != right.runtime()) {
      return false;
    }
    for (int i = 0; i < leftKeys.size(); i++) {
      int leftKey = leftKeys.get(i);
      int rightKey = rightKeys.get(i);
      if (leftKey >= 0 && rightKey >= 0 && leftPartitioning.keys().get(leftKey)
          && rightPartitioning.keys().get(rightKey)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalJoin join = call.rel(0);
    PeerQuery left = call.rel(1);
    PeerQuery right = call.rel(2);
    if (!colocated(join, left, right)) {
      return;
    }
    var leftPartitioning = requireNonNull(left.partitioning());
    var rightPartitioning = requireNonNull(right.partitioning());
    var type = join.getJoinType();
    int leftFields = left.getRowType().getFieldCount();
    var rightSelection = right.selection().shift(FragmentLineage.leaves(left.fragment()));
    var selection = switch (type) {
      case INNER, SEMI -> new PeerSelection.Both(left.selection(), rightSelection);
      default -> left.selection();
    };
    var keys = type == JoinRelType.INNER
        ? leftPartitioning.keys().union(rightPartitioning.keys().shift(leftFields))
        : leftPartitioning.keys();
    var fragment = join.copy(join.getTraitSet(), join.getCondition(), left.fragment(), right.fragment(),
        type, join.isSemiJoinDone());
    call.transformTo(left.with(fragment, PeerQuery.Stage.ROWS, selection,
        new Partitioning(leftPartitioning.group(), keys)));
  }
}
