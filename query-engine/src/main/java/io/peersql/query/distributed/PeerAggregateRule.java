package io.peersql.query.distributed;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Rule that matches an {@code Aggregate} on a {@link PeerQuery} and pushes it to the peers.
 *
 * <p>When the grouping includes a co-location key, all rows of a group live on one peer, so the
 * whole aggregate runs there. Otherwise it splits in two: each peer computes partial aggregates
 * (SUM, COUNT, MIN, MAX per group), and an aggregate at the requesting peer merges them (SUM of
 * SUMs, SUM of COUNTs, MIN of MINs, MAX of MAXs). AVG and COUNT(DISTINCT) reach this rule already
 * rewritten by Calcite into SUM/COUNT and into a grouping on the distinct column, which split the
 * same way.
 */
final class PeerAggregateRule extends RelRule<PeerRuleConfig> {

  static final PeerRuleConfig CONFIG = PeerRuleConfig.of("PeerAggregateRule",
      b0 -> b0.operand(LogicalAggregate.class)
          .predicate(aggregate -> aggregate.getGroupType() == Aggregate.Group.SIMPLE)
          .oneInput(b1 -> b1.operand(PeerQuery.class).predicate(PeerQuery::acceptsPushdown).noInputs()),
      PeerAggregateRule::new);

  /** Functions a peer computes exactly like Calcite, over a whole group. */
  private static final Set<SqlKind> WHOLE = Set.of(SqlKind.COUNT, SqlKind.SUM, SqlKind.MIN, SqlKind.MAX);

  /** Functions that merge from per-peer partial results. */
  private static final Set<SqlKind> SPLITTABLE = Set.of(
      SqlKind.COUNT, SqlKind.SUM, SqlKind.SUM0, SqlKind.MIN, SqlKind.MAX);

  /** Creates a PeerAggregateRule. */
  PeerAggregateRule(PeerRuleConfig config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalAggregate aggregate = call.rel(0);
    PeerQuery query = call.rel(1);
    var partitioning = query.partitioning();
    if (partitioning != null && aggregate.getGroupSet().intersects(partitioning.keys())) {
      pushWhole(call, aggregate, query, partitioning);
    } else {
      split(call, aggregate, query);
    }
  }

  private static void pushWhole(RelOptRuleCall call, LogicalAggregate aggregate, PeerQuery query,
      Partitioning partitioning) {
    for (var aggCall : aggregate.getAggCallList()) {
      if (!WHOLE.contains(aggCall.getAggregation().getKind()) || aggCall.filterArg >= 0
          || !aggCall.collation.getFieldCollations().isEmpty()) {
        return;
      }
    }
    var groups = aggregate.getGroupSet().asList();
    var keys = ImmutableBitSet.builder();
    for (int i = 0; i < groups.size(); i++) {
      if (partitioning.keys().get(groups.get(i))) {
        keys.set(i);
      }
    }
    var fragment = aggregate.copy(aggregate.getTraitSet(), List.of(query.fragment()));
    call.transformTo(query.with(fragment, PeerQuery.Stage.ROWS, query.selection(),
        new Partitioning(partitioning.group(), keys.build())));
  }

  private static void split(RelOptRuleCall call, LogicalAggregate aggregate, PeerQuery query) {
    for (var aggCall : aggregate.getAggCallList()) {
      if (!SPLITTABLE.contains(aggCall.getAggregation().getKind()) || aggCall.isDistinct()
          || aggCall.filterArg >= 0 || !aggCall.collation.getFieldCollations().isEmpty()) {
        return;
      }
    }
    int groupCount = aggregate.getGroupCount();
    // Each distinct partial aggregate once: Calcite's AVG and SUM rewrites ask for COUNT(x) beside
    // SUM(x) for every x, which on NOT NULL columns is COUNT(*) each time (Q1 asked the stores for
    // five counts of the same rows, and spent 70 % more time in them).
    var partialCalls = new ArrayList<AggregateCall>();
    var partialOf = new ArrayList<Integer>();
    var fields = query.fragment().getRowType().getFieldList();
    for (var aggCall : aggregate.getAggCallList()) {
      var function = aggCall.getAggregation().getKind() == SqlKind.SUM0
          ? SqlStdOperatorTable.SUM : aggCall.getAggregation();
      var args = aggCall.getArgList();
      if (function.getKind() == SqlKind.COUNT
          && args.stream().noneMatch(arg -> fields.get(arg).getType().isNullable())) {
        args = List.of();
      }
      int existing = -1;
      for (int j = 0; j < partialCalls.size(); j++) {
        var other = partialCalls.get(j);
        if (other.getAggregation() == function && other.getArgList().equals(args)) {
          existing = j;
          break;
        }
      }
      if (existing < 0) {
        existing = partialCalls.size();
        partialCalls.add(AggregateCall.create(function, false, false, false, List.of(), args, -1,
            null, RelCollations.EMPTY, groupCount, query.fragment(), null, aggCall.getName()));
      }
      partialOf.add(existing);
    }
    var partial = LogicalAggregate.create(query.fragment(), aggregate.getHints(),
        aggregate.getGroupSet(), null, partialCalls);
    var perPeer = query.with(partial, PeerQuery.Stage.PARTIAL_AGGREGATE, query.selection(), null);

    var finalCalls = new ArrayList<AggregateCall>();
    for (int i = 0; i < aggregate.getAggCallList().size(); i++) {
      var aggCall = aggregate.getAggCallList().get(i);
      var function = switch (aggCall.getAggregation().getKind()) {
        case COUNT, SUM0 -> SqlStdOperatorTable.SUM0;
        default -> aggCall.getAggregation();
      };
      finalCalls.add(AggregateCall.create(function, false, false, false, List.of(),
          List.of(groupCount + partialOf.get(i)), -1, null, RelCollations.EMPTY, groupCount, perPeer,
          aggCall.getType(), aggCall.getName()));
    }
    var merged = LogicalAggregate.create(perPeer, aggregate.getHints(),
        ImmutableBitSet.range(groupCount), null, finalCalls);
    call.transformTo(merged);
  }
}
