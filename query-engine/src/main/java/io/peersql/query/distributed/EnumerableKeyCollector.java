package io.peersql.query.distributed;

import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.function.Function1;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.Types;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.rel.metadata.RelMetadataQuery;

import static java.util.Objects.requireNonNull;

/**
 * The build side of a semi-join-reduced hash join; implements {@link EnumerableRel}. Passes its
 * input's rows through unchanged and hands their keys (field {@code key}) to a {@link KeyChannel},
 * for the peers answering the join's probe side. Placed by {@link SemiJoinReduction}.
 */
public final class EnumerableKeyCollector extends SingleRel implements EnumerableRel {

  private final KeyChannel channel;
  private final int key;

  /** Creates an EnumerableKeyCollector. */
  EnumerableKeyCollector(RelTraitSet traits, RelNode input, KeyChannel channel, int key) {
    super(input.getCluster(), traits, input);
    this.channel = requireNonNull(channel, "channel is null");
    this.key = key;
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new EnumerableKeyCollector(traitSet, sole(inputs), channel, key);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return super.explainTerms(pw).item("keys", getRowType().getFieldNames().get(key));
  }

  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    return planner.getCostFactory().makeTinyCost();
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    var builder = new BlockBuilder();
    var result = implementor.visitChild(this, 0, (EnumerableRel) getInput(), pref);
    var physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), result.format);
    var rows = builder.append("rows", result.block);
    var stashed = implementor.stash(channel, KeyChannel.class);
    var keyOf = result.physType.generateAccessor(List.of(key));
    builder.add(Expressions.return_(null,
        Expressions.call(stashed, Types.lookupMethod(KeyChannel.class, "collect", Enumerable.class,
            DataContext.class, Function1.class), rows, DataContext.ROOT, keyOf)));
    return implementor.result(physType, builder.toBlock());
  }
}
