package io.peersql.query.distributed;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Derives, from an OR in an inner or semi join's condition, a filter for each side that every
 * joining row must pass: the OR of each branch's conditions on that side alone. TPC-H Q19's
 * {@code (p_brand = 'Brand#12' and l_quantity >= 1 and ..) or (p_brand = 'Brand#23' and ..)}
 * yields {@code p_brand = 'Brand#12' and .. or p_brand = 'Brand#23' and ..} for the parts and the
 * quantity ranges for the line items; pushed into the peers' fragments, they cut what the peers
 * send from whole tables to the few rows that can join. The join keeps its whole condition.
 */
final class OrPredicateDerivation {

  private OrPredicateDerivation() {
  }

  /** The plan with derived filters under its joins, or {@code rel} itself when none applies. */
  static RelNode derive(RelNode rel) {
    return rel.accept(new RelShuttleImpl() {
      @Override
      public RelNode visit(org.apache.calcite.rel.logical.LogicalJoin join) {
        return deriveUnder((LogicalJoin) super.visit(join));
      }
    });
  }

  private static RelNode deriveUnder(LogicalJoin join) {
    if (join.getJoinType() != JoinRelType.INNER && join.getJoinType() != JoinRelType.SEMI) {
      return join;
    }
    var ors = RelOptUtil.conjunctions(join.getCondition()).stream()
        .filter(conjunct -> conjunct.getKind() == SqlKind.OR)
        .toList();
    if (ors.isEmpty()) {
      return join;
    }
    var rexBuilder = join.getCluster().getRexBuilder();
    int leftCount = join.getLeft().getRowType().getFieldCount();
    int rightCount = join.getRight().getRowType().getFieldCount();
    var left = sideFilter(rexBuilder, ors, ImmutableBitSet.range(0, leftCount), 0);
    var right = sideFilter(rexBuilder, ors, ImmutableBitSet.range(leftCount, leftCount + rightCount), -leftCount);
    if (left.isEmpty() && right.isEmpty()) {
      return join;
    }
    var newLeft = left.isEmpty() ? join.getLeft()
        : LogicalFilter.create(join.getLeft(), RexUtil.composeConjunction(rexBuilder, left));
    var newRight = right.isEmpty() ? join.getRight()
        : LogicalFilter.create(join.getRight(), RexUtil.composeConjunction(rexBuilder, right));
    return join.copy(join.getTraitSet(), join.getCondition(), newLeft, newRight, join.getJoinType(),
        join.isSemiJoinDone());
  }

  /** For each OR, the OR of its branches' conditions on {@code side} only, if every branch has one. */
  private static List<RexNode> sideFilter(RexBuilder rexBuilder, List<RexNode> ors, ImmutableBitSet side, int shift) {
    var filters = new ArrayList<RexNode>();
    for (var or : ors) {
      var branches = new ArrayList<RexNode>();
      for (var branch : RelOptUtil.disjunctions(or)) {
        var terms = RelOptUtil.conjunctions(branch).stream()
            .filter(term -> {
              var fields = RelOptUtil.InputFinder.bits(term);
              return !fields.isEmpty() && side.contains(fields) && RexUtil.isDeterministic(term);
            })
            .toList();
        if (terms.isEmpty()) {
          branches.clear();
          break;
        }
        branches.add(RexUtil.composeConjunction(rexBuilder, terms));
      }
      if (!branches.isEmpty()) {
        filters.add(RexUtil.shift(RexUtil.composeDisjunction(rexBuilder, branches), shift));
      }
    }
    return filters;
  }
}
