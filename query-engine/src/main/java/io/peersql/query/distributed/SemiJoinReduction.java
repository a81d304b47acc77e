package io.peersql.query.distributed;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.adapter.enumerable.EnumerableAggregateBase;
import org.apache.calcite.adapter.enumerable.EnumerableCalc;
import org.apache.calcite.adapter.enumerable.EnumerableFilter;
import org.apache.calcite.adapter.enumerable.EnumerableHashJoin;
import org.apache.calcite.adapter.enumerable.EnumerableProject;
import org.apache.calcite.plan.RelOptLattice;
import org.apache.calcite.plan.RelOptMaterialization;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.sql.type.SqlTypeName;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Semi-join reduction, applied to the physical plan: where a hash join (inner or semi) reads one
 * side from peers and the other side is expected to be smaller, the smaller side's distinct join
 * keys are sent into the larger side's sub-queries as {@code key IN (..)} (at most
 * {@link ExchangeSettings#inListKeys}, by default {@link #MAX_KEYS}), or with more keys (up to
 * {@link KeyChannel#MAX_FILTERED_KEYS}) as a Bloom filter the peers apply to the rows they
 * return, which saves shipping and joining rows but not the peers' own work. The larger side's peer query is
 * found through projections, filters, aggregates on its key and inner or semi joins. A side
 * that is a whole table is never a key source; a side estimated under 1,000 rows is never
 * narrowed. On range-indexed keys the peers are narrowed too.
 */
final class SemiJoinReduction {

  /** Most distinct keys sent to peers as an IN list; beyond this a Bloom filter costs less. */
  static final int MAX_KEYS = 10_000;

  /** Smallest estimated side worth narrowing. */
  private static final double MIN_TARGET_ROWS = 1_000;

  /** Largest estimated probe side that is read ahead, into memory, to narrow the build side. */
  private static final double MAX_BUFFERED_PROBE_ROWS = 100_000;

  private static final Set<SqlTypeName> KEY_TYPES = Set.of(
      SqlTypeName.BIGINT, SqlTypeName.INTEGER, SqlTypeName.SMALLINT, SqlTypeName.VARCHAR, SqlTypeName.CHAR);

  private SemiJoinReduction() {
  }

  /** The program step. */
  static RelNode run(RelOptPlanner planner, RelNode rel, RelTraitSet requiredOutputTraits,
      List<RelOptMaterialization> materializations, List<RelOptLattice> lattices) {
    return reduce(rel, rel.getCluster().getMetadataQuery());
  }

  /** Top-down, so that each join is judged on the estimates of the plan Volcano chose. */
  private static RelNode reduce(RelNode node, RelMetadataQuery mq) {
    var current = node;
    if (node instanceof EnumerableHashJoin join
        && (join.getJoinType() == JoinRelType.INNER || join.getJoinType() == JoinRelType.SEMI)) {
      var reduced = reduceJoin(join, mq);
      if (reduced != null) {
        current = reduced;
      }
    }
    var inputs = new ArrayList<RelNode>();
    boolean changed = false;
    for (var input : current.getInputs()) {
      var reduced = reduce(input, mq);
      inputs.add(reduced);
      changed |= reduced != input;
    }
    return changed ? current.copy(current.getTraitSet(), inputs) : current;
  }

  private static @Nullable RelNode reduceJoin(EnumerableHashJoin join, RelMetadataQuery mq) {
    double leftRows = mq.getRowCount(join.getLeft());
    double rightRows = mq.getRowCount(join.getRight());
    // Narrow the larger side if it reads from peers, else the smaller one. Reading the probe
    // (left) side first buffers it, which the build side is anyway: only when it is small.
    boolean rightLarger = rightRows > leftRows;
    var reduced = reduceSide(join, rightLarger, mq);
    if (reduced == null && (rightLarger ? rightRows : leftRows) <= MAX_BUFFERED_PROBE_ROWS) {
      reduced = reduceSide(join, !rightLarger, mq);
    }
    return reduced;
  }

  private static @Nullable RelNode reduceSide(EnumerableHashJoin join, boolean targetRight,
      RelMetadataQuery mq) {
    var info = join.analyzeCondition();
    var target = targetRight ? join.getRight() : join.getLeft();
    var source = targetRight ? join.getLeft() : join.getRight();
    if (wholeTable(source) || mq.getRowCount(target) < MIN_TARGET_ROWS) {
      // All keys there are narrow nothing; a small side costs little to ship whole.
      return null;
    }
    for (int i = 0; i < info.leftKeys.size(); i++) {
      int targetKey = targetRight ? info.rightKeys.get(i) : info.leftKeys.get(i);
      int sourceKey = targetRight ? info.leftKeys.get(i) : info.rightKeys.get(i);
      var targetType = target.getRowType().getFieldList().get(targetKey).getType().getSqlTypeName();
      var sourceType = source.getRowType().getFieldList().get(sourceKey).getType().getSqlTypeName();
      if (!KEY_TYPES.contains(targetType) || targetType != sourceType) {
        continue;
      }
      var channel = new KeyChannel();
      var narrowed = narrow(target, targetKey, channel);
      if (narrowed == null) {
        continue;
      }
      if (!(narrowed instanceof EnumerablePeerQuery)) {
        narrowed = new EnumerableDeferred(narrowed);
      }
      var collector = new EnumerableKeyCollector(source.getTraitSet(), source, channel, sourceKey);
      var inputs = targetRight ? List.<RelNode>of(collector, narrowed) : List.<RelNode>of(narrowed, collector);
      return join.copy(join.getTraitSet(), inputs);
    }
    return null;
  }

  /** Whether {@code rel} is all rows (or all groups) of one table, read from peers without any
   * condition. */
  private static boolean wholeTable(RelNode rel) {
    return switch (rel) {
      case EnumerablePeerQuery query -> FragmentLineage.leaves(query.query().fragment()) == 1
          && !containsFilter(query.query().fragment());
      case EnumerableCalc calc -> calc.getProgram().getCondition() == null && wholeTable(calc.getInput());
      case EnumerableProject project -> wholeTable(project.getInput());
      // Grouping every row of a table still yields every key.
      case EnumerableAggregateBase aggregate -> wholeTable(aggregate.getInput());
      default -> false;
    };
  }

  private static boolean containsFilter(RelNode node) {
    return node instanceof org.apache.calcite.rel.core.Filter
        || node.getInputs().stream().anyMatch(SemiJoinReduction::containsFilter);
  }

  /** {@code rel} with the peer query that supplies field {@code field} narrowed by the channel's keys. */
  private static @Nullable RelNode narrow(RelNode rel, int field, KeyChannel channel) {
    return switch (rel) {
      case EnumerablePeerQuery query -> query.keyFilter() == null
          && query.query().stage() != PeerQuery.Stage.TOP_N ? query.withKeyFilter(channel, field) : null;
      case EnumerableCalc calc -> {
        var program = calc.getProgram();
        var expression = program.expandLocalRef(program.getProjectList().get(field));
        yield expression instanceof RexInputRef ref && program.getCondition() == null
            ? rebuild(calc, narrow(calc.getInput(), ref.getIndex(), channel)) : null;
      }
      case EnumerableProject project -> project.getProjects().get(field) instanceof RexInputRef ref
          ? rebuild(project, narrow(project.getInput(), ref.getIndex(), channel)) : null;
      case EnumerableFilter filter -> rebuild(filter, narrow(filter.getInput(), field, channel));
      case EnumerableKeyCollector collector -> rebuild(collector, narrow(collector.getInput(), field, channel));
      case EnumerableHashJoin join when join.getJoinType() == JoinRelType.INNER
          || join.getJoinType() == JoinRelType.SEMI -> {
        // A condition on one side's field commutes with an inner or semi join.
        int leftCount = join.getLeft().getRowType().getFieldCount();
        if (field < leftCount) {
          var left = narrow(join.getLeft(), field, channel);
          yield left == null ? null : join.copy(join.getTraitSet(), List.of(left, join.getRight()));
        }
        var right = join.getJoinType() == JoinRelType.INNER
            ? narrow(join.getRight(), field - leftCount, channel) : null;
        yield right == null ? null : join.copy(join.getTraitSet(), List.of(join.getLeft(), right));
      }
      case EnumerableAggregateBase aggregate when aggregate instanceof Aggregate a
          && a.getGroupType() == Aggregate.Group.SIMPLE && field < a.getGroupCount() ->
          rebuild(aggregate, narrow(a.getInput(), a.getGroupSet().nth(field), channel));
      default -> null;
    };
  }

  private static @Nullable RelNode rebuild(RelNode parent, @Nullable RelNode newInput) {
    return newInput == null ? null : parent.copy(parent.getTraitSet(), List.of(newInput));
  }
}
