package io.peersql.query.distributed;

import java.lang.reflect.Type;
import java.util.EnumSet;
import java.util.List;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCostFactory;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.CalcitePrepareImpl;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.metadata.JaninoRelMetadataProvider;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.rules.AggregateReduceFunctionsRule;
import org.apache.calcite.rel.rules.JoinPushThroughJoinRule;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.tools.Program;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How the requesting peer prepares a statement: Calcite's own preparation, with the optimizer
 * program of {@link DistributedProgram} (field trimming into peers' fragments and heuristic join
 * ordering before the cost-based phase) and a cost-based planner without the rules that
 * enumerate every join order, which made planning of 6-8-way joins take minutes.
 */
public final class DistributedPrepare extends CalcitePrepareImpl {

  /** Creates a DistributedPrepare. */
  public DistributedPrepare() {
  }

  @Override
  protected RelOptPlanner createPlanner(CalcitePrepare.Context prepareContext,
      org.apache.calcite.plan.@Nullable Context externalContext, @Nullable RelOptCostFactory costFactory) {
    var planner = super.createPlanner(prepareContext, externalContext, costFactory);
    // Joins arrive already ordered by DistributedProgram's heuristic phase.
    planner.removeRule(CoreRules.JOIN_COMMUTE);
    planner.removeRule(CoreRules.JOIN_ASSOCIATE);
    planner.removeRule(JoinPushThroughJoinRule.LEFT);
    planner.removeRule(JoinPushThroughJoinRule.RIGHT);
    // Rows from peers arrive unsorted: sorting both sides at the requesting peer costs more than
    // hashing the smaller one, which Calcite's cost model does not see.
    planner.removeRule(EnumerableRules.ENUMERABLE_MERGE_JOIN_RULE);
    // SUM merges from per-peer SUMs as it is; rewriting it into CASE COUNT(x) = 0 THEN NULL ELSE
    // SUM0(x) made every peer count each summed column's values besides.
    if (planner.removeRule(CoreRules.AGGREGATE_REDUCE_FUNCTIONS)) {
      var reduce = EnumSet.copyOf(AggregateReduceFunctionsRule.Config.DEFAULT_FUNCTIONS_TO_REDUCE);
      reduce.remove(SqlKind.SUM);
      planner.addRule(CoreRules.AGGREGATE_REDUCE_FUNCTIONS.config
          .withFunctionsToReduce(reduce).toRule());
    }
    return planner;
  }

  /**
   * Calcite's preparation, or the plan this connection prepared for the same text before (see
   * {@link PlanCache}).
   */
  @Override
  public <T> CalciteSignature<T> prepareSql(CalcitePrepare.Context context, CalcitePrepare.Query<T> query,
      Type elementType, long maxRowCount) {
    var cache = query.sql == null || !PlanCache.cacheable(query.sql) ? null : planCache(context);
    if (cache == null) {
      return super.prepareSql(context, query, elementType, maxRowCount);
    }
    var key = new PlanCache.Key(query.sql, elementType, maxRowCount, List.copyOf(context.getDefaultSchemaPath()));
    @SuppressWarnings("unchecked")
    var cached = (CalciteSignature<T>) cache.get(key);
    if (cached != null) {
      return cached;
    }
    var signature = super.prepareSql(context, query, elementType, maxRowCount);
    if (signature.statementType == Meta.StatementType.SELECT) {
      cache.put(key, signature);
    }
    return signature;
  }

  /** The plan cache of the connection's distributed schema, or null if it has none. */
  private static @Nullable PlanCache planCache(CalcitePrepare.Context context) {
    for (var sub : context.getRootSchema().getSubSchemaMap().values()) {
      if (sub.schema instanceof DistributedSchema distributed) {
        return distributed.plans();
      }
    }
    return null;
  }

  @Override
  protected RelOptCluster createCluster(RelOptPlanner planner, RexBuilder rexBuilder) {
    var cluster = super.createCluster(planner, rexBuilder);
    cluster.setMetadataProvider(PeerMetadata.PROVIDER);
    // Plans rewrite their fragments at run time (key filters), on whichever thread executes them:
    // metadata must not depend on the planning thread's thread-local handlers.
    var handlers = JaninoRelMetadataProvider.of(PeerMetadata.PROVIDER);
    cluster.setMetadataQuerySupplier(() -> new RelMetadataQuery(handlers));
    return cluster;
  }

  @Override
  protected CalcitePreparingStmt getPreparingStmt(CalcitePrepare.Context context, Type elementType,
      CalciteCatalogReader catalogReader, RelOptPlanner planner) {
    var typeFactory = context.getTypeFactory();
    var prefer = elementType == Object[].class ? EnumerableRel.Prefer.ARRAY : EnumerableRel.Prefer.CUSTOM;
    return new CalcitePreparingStmt(this, context, catalogReader, typeFactory, context.getRootSchema(),
        prefer, createCluster(planner, new RexBuilder(typeFactory)), EnumerableConvention.INSTANCE,
        createConvertletTable()) {
      @Override
      protected Program getProgram() {
        return DistributedProgram.create();
      }
    };
  }
}
