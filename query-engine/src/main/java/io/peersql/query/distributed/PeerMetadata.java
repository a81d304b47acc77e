package io.peersql.query.distributed;

import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.BuiltInMetadata;
import org.apache.calcite.rel.metadata.ChainedRelMetadataProvider;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.metadata.MetadataDef;
import org.apache.calcite.rel.metadata.MetadataHandler;
import org.apache.calcite.rel.metadata.ReflectiveRelMetadataProvider;
import org.apache.calcite.rel.metadata.RelColumnOrigin;
import org.apache.calcite.rel.metadata.RelMdDistinctRowCount;
import org.apache.calcite.rel.metadata.RelMdSelectivity;
import org.apache.calcite.rel.metadata.RelMdUtil;
import org.apache.calcite.rel.metadata.RelMetadataProvider;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.util.ImmutableBitSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Metadata the requesting peer's planner needs beyond Calcite's defaults: a {@link PeerQuery}
 * answers uniqueness and column-origin questions from its fragment (so primary keys of
 * distributed tables are known above it), and an inner equi-join on a side's unique key keeps at
 * most one match per row, instead of Calcite's generic 15 % of the cross product. Without the
 * latter, a co-located join pushed to the peers looked more expensive than shipping both sides.
 * Filters and groupings on a distributed table's range-indexed columns are estimated from the
 * peers' histograms ({@link Histograms}).
 */
public final class PeerMetadata {

  /** Calcite's metadata with these handlers in front. */
  public static final RelMetadataProvider PROVIDER = ChainedRelMetadataProvider.of(List.of(
      ReflectiveRelMetadataProvider.reflectiveSource(new RowCount(), BuiltInMetadata.RowCount.Handler.class),
      ReflectiveRelMetadataProvider.reflectiveSource(new Uniqueness(),
          BuiltInMetadata.ColumnUniqueness.Handler.class),
      ReflectiveRelMetadataProvider.reflectiveSource(new Origins(), BuiltInMetadata.ColumnOrigin.Handler.class),
      ReflectiveRelMetadataProvider.reflectiveSource(new Selectivity(), BuiltInMetadata.Selectivity.Handler.class),
      ReflectiveRelMetadataProvider.reflectiveSource(new DistinctRowCount(),
          BuiltInMetadata.DistinctRowCount.Handler.class),
      DefaultRelMetadataProvider.INSTANCE));

  private PeerMetadata() {
  }

  /** Row count of inner equi-joins on a unique key. */
  public static final class RowCount implements MetadataHandler<BuiltInMetadata.RowCount> {
    @Override
    public MetadataDef<BuiltInMetadata.RowCount> getDef() {
      return BuiltInMetadata.RowCount.DEF;
    }

    /** Rows of a join: with a unique key on one side, each row of the other finds one partner at most. */
    public @Nullable Double getRowCount(Join join, RelMetadataQuery mq) {
      var info = join.analyzeCondition();
      if (join.getJoinType() != JoinRelType.INNER || info.leftKeys.isEmpty()) {
        return RelMdUtil.getJoinRowCount(mq, join, join.getCondition());
      }
      Double left = mq.getRowCount(join.getLeft());
      Double right = mq.getRowCount(join.getRight());
      if (left == null || right == null) {
        return null;
      }
      double rows;
      var leftKeys = ImmutableBitSet.of(info.leftKeys);
      var rightKeys = ImmutableBitSet.of(info.rightKeys);
      if (Boolean.TRUE.equals(mq.areColumnsUnique(join.getRight(), rightKeys))) {
        rows = left * surviving(join.getRight(), rightKeys, right, mq);
      } else if (Boolean.TRUE.equals(mq.areColumnsUnique(join.getLeft(), leftKeys))) {
        rows = right * surviving(join.getLeft(), leftKeys, left, mq);
      } else {
        return RelMdUtil.getJoinRowCount(mq, join, join.getCondition());
      }
      var remaining = info.getRemaining(join.getCluster().getRexBuilder());
      if (!remaining.isAlwaysTrue()) {
        rows *= RelMdUtil.guessSelectivity(remaining);
      }
      return Math.max(rows, 1);
    }

    /** The fraction of a key's table that a (filtered) input still holds. */
    private static double surviving(RelNode input, ImmutableBitSet keys, double rows, RelMetadataQuery mq) {
      double table = 0;
      for (int key : keys) {
        var origin = mq.getColumnOrigin(input, key);
        if (origin != null && !origin.isDerived()) {
          table = Math.max(table, origin.getOriginTable().getRowCount());
        }
      }
      return table <= 0 ? 1 : Math.min(1, rows / table);
    }
  }

  /** Uniqueness of a peer query's fields, from its fragment. */
  public static final class Uniqueness implements MetadataHandler<BuiltInMetadata.ColumnUniqueness> {
    @Override
    public MetadataDef<BuiltInMetadata.ColumnUniqueness> getDef() {
      return BuiltInMetadata.ColumnUniqueness.DEF;
    }

    public @Nullable Boolean areColumnsUnique(PeerQuery query, RelMetadataQuery mq, ImmutableBitSet columns,
        boolean ignoreNulls) {
      // Partial results of several peers may repeat a key; only whole rows keep the fragment's keys.
      return query.stage() == PeerQuery.Stage.ROWS
          ? mq.areColumnsUnique(query.fragment(), columns, ignoreNulls) : null;
    }

    public @Nullable Boolean areColumnsUnique(EnumerablePeerQuery query, RelMetadataQuery mq,
        ImmutableBitSet columns, boolean ignoreNulls) {
      return areColumnsUnique(query.query(), mq, columns, ignoreNulls);
    }
  }

  /** Column origins of a peer query's fields, from its fragment. */
  public static final class Origins implements MetadataHandler<BuiltInMetadata.ColumnOrigin> {
    @Override
    public MetadataDef<BuiltInMetadata.ColumnOrigin> getDef() {
      return BuiltInMetadata.ColumnOrigin.DEF;
    }

    public @Nullable Set<RelColumnOrigin> getColumnOrigins(PeerQuery query, RelMetadataQuery mq, int column) {
      return mq.getColumnOrigins(query.fragment(), column);
    }

    public @Nullable Set<RelColumnOrigin> getColumnOrigins(EnumerablePeerQuery query, RelMetadataQuery mq,
        int column) {
      return mq.getColumnOrigins(query.query().fragment(), column);
    }
  }

  /** Selectivity of conditions on a distributed table, from the peers' histograms. */
  public static final class Selectivity extends RelMdSelectivity {
    public @Nullable Double getSelectivity(TableScan scan, RelMetadataQuery mq, @Nullable RexNode predicate) {
      var table = scan.getTable().unwrap(DistributedTable.class);
      if (table == null || predicate == null || predicate.isAlwaysTrue()) {
        return RelMdUtil.guessSelectivity(predicate);
      }
      return Histograms.selectivity(table, predicate);
    }
  }

  /** Distinct values of a distributed table's range-indexed column, from the peers' histograms. */
  public static final class DistinctRowCount extends RelMdDistinctRowCount {
    public @Nullable Double getDistinctRowCount(TableScan scan, RelMetadataQuery mq, ImmutableBitSet groupKey,
        @Nullable RexNode predicate) {
      var table = scan.getTable().unwrap(DistributedTable.class);
      var distinct = table == null || groupKey.cardinality() != 1 ? null
          : Histograms.distinctValues(table, groupKey.nth(0));
      if (distinct == null) {
        return super.getDistinctRowCount(scan, mq, groupKey, predicate);
      }
      double rows = mq.getRowCount(scan);
      if (predicate == null || predicate.isAlwaysTrue()) {
        return Math.min(distinct, rows);
      }
      return RelMdUtil.numDistinctVals(distinct, rows * Histograms.selectivity(table, predicate));
    }
  }
}
