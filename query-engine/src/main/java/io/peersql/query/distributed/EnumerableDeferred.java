package io.peersql.query.distributed;

import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.function.Function0;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.linq4j.tree.Types;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.SingleRel;
import org.apache.calcite.rel.metadata.RelMetadataQuery;

/**
 * Builds its input only when first read; implements {@link EnumerableRel}. Some of Calcite's
 * operators (aggregation) read their input as soon as the plan is bound; under a join whose
 * other side must be read first (the key source of a {@link SemiJoinReduction}), this keeps them
 * waiting until the join asks for rows.
 */
public final class EnumerableDeferred extends SingleRel implements EnumerableRel {

  /** Creates an EnumerableDeferred. */
  EnumerableDeferred(RelNode input) {
    super(input.getCluster(), input.getTraitSet(), input);
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new EnumerableDeferred(sole(inputs));
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
    var supplier = Expressions.lambda(Function0.class, result.block);
    builder.add(Expressions.return_(null, Expressions.call(
        Types.lookupMethod(EnumerableDeferred.class, "of", Function0.class), supplier)));
    return implementor.result(physType, builder.toBlock());
  }

  /** An enumerable whose source is built on first use. Public only because generated code calls it. */
  public static <T> Enumerable<T> of(Function0<Enumerable<T>> supplier) {
    return new AbstractEnumerable<>() {
      private Enumerable<T> source;

      @Override
      public Enumerator<T> enumerator() {
        if (source == null) {
          source = supplier.apply();
        }
        return source.enumerator();
      }
    };
  }
}
