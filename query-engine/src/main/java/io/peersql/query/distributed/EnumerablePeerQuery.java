package io.peersql.query.distributed;

import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.AbstractRelNode;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;

import static java.util.Objects.requireNonNull;

/**
 * The executable form of a {@link PeerQuery}; implements {@link EnumerableRel}. Its generated code
 * calls a {@link FragmentPlan}, which sends the fragment to the peers and reads their rows through
 * a {@link ParallelExchange}. Its cost is the rows the peers ship.
 */
public final class EnumerablePeerQuery extends AbstractRelNode implements EnumerableRel {

  private final PeerQuery query;

  /** Creates an EnumerablePeerQuery running the given query. */
  EnumerablePeerQuery(RelTraitSet traitSet, PeerQuery query) {
    super(query.getCluster(), traitSet);
    this.query = requireNonNull(query, "query is null");
  }

  PeerQuery query() {
    return query;
  }

  @Override
  protected RelDataType deriveRowType() {
    return query.getRowType();
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new EnumerablePeerQuery(traitSet, query);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return query.explainTerms(pw);
  }

  @Override
  public double estimateRowCount(RelMetadataQuery mq) {
    return query.estimateRowCount(mq);
  }

  @Override
  public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
    return query.transferCost(planner, mq);
  }

  @Override
  public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
    // Single-field rows are scalars, as Calcite's own operators (merge join keys, sorts)
    // expect of a one-column input; wider rows are Object[].
    boolean scalar = getRowType().getFieldCount() == 1;
    var physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(),
        scalar ? JavaRowFormat.SCALAR : JavaRowFormat.ARRAY, false);
    var plan = new FragmentPlan(query.fragment(), query.sql(), query.hasParameters(), query.selection(),
        query.tables(), RowConverter.of(getRowType()), query.runtime());
    var stashed = implementor.stash(plan, FragmentPlan.class);
    return implementor.result(physType, Blocks.toBlock(
        Expressions.call(stashed, scalar ? "executeScalar" : "execute", DataContext.ROOT)));
  }
}
