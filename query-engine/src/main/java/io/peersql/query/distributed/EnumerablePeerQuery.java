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
import org.checkerframework.checker.nullness.qual.Nullable;

import static java.util.Objects.requireNonNull;

/**
 * The executable form of a {@link PeerQuery}; implements {@link EnumerableRel}. Its generated code
 * calls a {@link FragmentPlan}, which sends the fragment to the peers and reads their rows through
 * a {@link ParallelExchange}. Its cost is the rows the peers ship.
 */
public final class EnumerablePeerQuery extends AbstractRelNode implements EnumerableRel {

  private final PeerQuery query;
  private final @Nullable KeyFilter keyFilter;

  /**
   * Join keys from another input of the plan that narrow this query at run time: field
   * {@code field} must be one of the keys that {@code channel} carries.
   */
  record KeyFilter(KeyChannel channel, int field) {
  }

  /** Creates an EnumerablePeerQuery running the given query. */
  EnumerablePeerQuery(RelTraitSet traitSet, PeerQuery query) {
    this(traitSet, query, null);
  }

  private EnumerablePeerQuery(RelTraitSet traitSet, PeerQuery query, @Nullable KeyFilter keyFilter) {
    super(query.getCluster(), traitSet);
    this.query = requireNonNull(query, "query is null");
    this.keyFilter = keyFilter;
  }

  /** This query, sent only once the keys of {@code channel} are known, restricted to them. */
  EnumerablePeerQuery withKeyFilter(KeyChannel channel, int field) {
    return new EnumerablePeerQuery(getTraitSet(), query, new KeyFilter(channel, field));
  }

  @Nullable KeyFilter keyFilter() {
    return keyFilter;
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
    return new EnumerablePeerQuery(traitSet, query, keyFilter);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    return query.explainTerms(pw)
        .itemIf("keysFrom", keyFilter == null ? "" : "join build side, on "
            + getRowType().getFieldNames().get(keyFilter == null ? 0 : keyFilter.field()), keyFilter != null);
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
    var plan = new FragmentPlan(query.fragment(), query.rendered(), query.hasParameters(), query.selection(),
        query.tables(), RowConverter.of(getRowType()), query.runtime(), keyFilter);
    var stashed = implementor.stash(plan, FragmentPlan.class);
    return implementor.result(physType, Blocks.toBlock(
        Expressions.call(stashed, scalar ? "executeScalar" : "execute", DataContext.ROOT)));
  }
}
