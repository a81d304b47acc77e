package io.peersql.query.distributed;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepRelVertex;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.rules.AggregateJoinTransposeRule;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.util.ImmutableBitSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Eager aggregation: an aggregate over an inner join is computed in part below the join, on the
 * side that holds its arguments, grouped by that side's grouping and join columns (Calcite's
 * {@link AggregateJoinTransposeRule} does the rewrite). Below the join, the partial aggregate can
 * then run inside the peers with that side's other work (a co-located join, for example), so the
 * peers ship one row per group instead of one per joined row (TPC-H Q10: revenue per customer
 * instead of every returned line item).
 *
 * <p>Applied only where the partial aggregate runs at the peers and does not get in the way of
 * semi-join reduction:
 * <ul>
 *   <li>the aggregated side is one peer query or a co-located join of two, or leads to one
 *       through joins that pass the next condition too (elsewhere the partial aggregate would
 *       only run at the requesting peer, over rows already shipped);</li>
 *   <li>the other side is either a whole table (its keys would narrow nothing) or too large to
 *       send its keys ({@link SemiJoinReduction#MAX_KEYS}); a small filtered side narrows the
 *       aggregated side by its keys instead, which beats grouping all of it (a few parts of
 *       {@code part} against all of {@code lineitem}).</li>
 * </ul>
 * The peers then never ship more rows than without it (one per group, at most one per row); no
 * estimate of the number of groups is needed, and the peers' statistics have none for columns
 * without a range index. Calcite's rule also keeps the rewrite only when its own cost estimate
 * falls.
 */
final class PeerEagerAggregateRule extends AggregateJoinTransposeRule {

  static final PeerEagerAggregateRule INSTANCE = new PeerEagerAggregateRule(
      Config.EXTENDED.withOperandFor(LogicalAggregate.class, LogicalJoin.class, true));

  private PeerEagerAggregateRule(Config config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    Aggregate aggregate = call.rel(0);
    Join join = call.rel(1);
    if (join.getJoinType() == JoinRelType.INNER && pays(aggregate, join, call.getMetadataQuery())) {
      super.onMatch(call);
    }
  }

  private static boolean pays(Aggregate aggregate, Join join, RelMetadataQuery mq) {
    if (aggregate.getAggCallList().isEmpty() || aggregate.getGroupType() != Aggregate.Group.SIMPLE
        || atPeers(join)) {
      // A join the peers run themselves takes the whole partial aggregate with it.
      return false;
    }
    var arguments = ImmutableBitSet.of();
    for (AggregateCall call : aggregate.getAggCallList()) {
      if (call.isDistinct() || call.filterArg >= 0) {
        return false;
      }
      arguments = arguments.union(ImmutableBitSet.of(call.getArgList()));
    }
    return reachesPeers(join, arguments, mq);
  }

  /**
   * Whether the keys of {@code side} would narrow nothing: a whole table, or too many keys to
   * send ({@link SemiJoinReduction#MAX_KEYS}).
   */
  private static boolean narrowsNothing(RelNode side, RelMetadataQuery mq) {
    return unfiltered(side) || mq.getRowCount(side) > SemiJoinReduction.MAX_KEYS;
  }

  /**
   * Whether an aggregate of the fields {@code arguments} of {@code rel}, pushed down, ends up at
   * the peers: {@code rel} runs there, or it is a join of one side that holds the arguments and
   * leads to the peers with another whose keys would narrow nothing, so that the rule applies
   * again below it (Q10's revenue passes the join with {@code nation}, then the one with {@code
   * customer}, and lands in the peers' join of orders and line items).
   */
  private static boolean reachesPeers(RelNode rel, ImmutableBitSet arguments, RelMetadataQuery mq) {
    var node = unwrap(rel);
    if (atPeers(node)) {
      return true;
    }
    return switch (node) {
      case Project project -> {
        var inputs = ImmutableBitSet.builder();
        for (int field : arguments) {
          inputs.addAll(RelOptUtil.InputFinder.bits(project.getProjects().get(field)));
        }
        yield reachesPeers(project.getInput(), inputs.build(), mq);
      }
      case Filter filter -> reachesPeers(filter.getInput(), arguments, mq);
      case Join join when join.getJoinType() == JoinRelType.INNER && !arguments.isEmpty() -> {
        int leftCount = join.getLeft().getRowType().getFieldCount();
        if (arguments.nth(arguments.cardinality() - 1) < leftCount) {
          yield narrowsNothing(join.getRight(), mq) && reachesPeers(join.getLeft(), arguments, mq);
        }
        if (arguments.nth(0) >= leftCount) {
          yield narrowsNothing(join.getLeft(), mq)
              && reachesPeers(join.getRight(), arguments.shift(-leftCount), mq);
        }
        // Arguments on both sides: no side holds the aggregate alone.
        yield false;
      }
      default -> false;
    };
  }

  /**
   * Whether {@code rel} can run inside the peers, so a partial aggregate above it can too: one
   * peer query, or a join of two whose tables are co-located, under projections and filters.
   */
  private static boolean atPeers(RelNode rel) {
    var node = unwrap(rel);
    return switch (node) {
      case PeerQuery query -> true;
      case Project project -> atPeers(project.getInput());
      case Filter filter -> atPeers(filter.getInput());
      case Join join when join.getJoinType() == JoinRelType.INNER && join.analyzeCondition().isEqui() -> {
        var info = join.analyzeCondition();
        var left = PeerFields.of(join.getLeft());
        var right = PeerFields.of(join.getRight());
        yield left != null && right != null && PeerColocatedJoinRule.onPartitioningKeys(left.query(),
            right.query(), left.map(info.leftKeys), right.map(info.rightKeys));
      }
      default -> false;
    };
  }

  /**
   * A peer query under projections and filters, with, for each output field of the top node,
   * the peer query's field it passes on (or -1 for a computed one).
   */
  private record PeerFields(PeerQuery query, int[] fields) {

    static @Nullable PeerFields of(RelNode rel) {
      var node = unwrap(rel);
      return switch (node) {
        case PeerQuery query -> new PeerFields(query,
            IntStream.range(0, query.getRowType().getFieldCount()).toArray());
        case Filter filter -> of(filter.getInput());
        case Project project -> {
          var below = of(project.getInput());
          if (below == null) {
            yield null;
          }
          var fields = new int[project.getProjects().size()];
          for (int i = 0; i < fields.length; i++) {
            fields[i] = project.getProjects().get(i) instanceof RexInputRef ref ? below.fields()[ref.getIndex()] : -1;
          }
          yield new PeerFields(below.query(), fields);
        }
        default -> null;
      };
    }

    List<Integer> map(List<Integer> keys) {
      return keys.stream().map(key -> fields[key]).toList();
    }
  }

  private static RelNode unwrap(RelNode rel) {
    return rel instanceof HepRelVertex vertex ? vertex.getCurrentRel() : rel;
  }

  /** Whether {@code rel} reads its tables without any condition (so its join keys are all keys). */
  private static boolean unfiltered(RelNode rel) {
    var node = unwrap(rel);
    return switch (node) {
      case Filter filter -> false;
      case Join join -> false;
      case TableScan scan -> true;
      case PeerQuery query -> unfiltered(query.fragment());
      default -> node.getInputs().stream().allMatch(PeerEagerAggregateRule::unfiltered);
    };
  }
}
