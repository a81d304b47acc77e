package io.peersql.query.distributed;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.AbstractRelNode;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlExplainLevel;
import org.apache.calcite.util.ImmutableBitSet;
import org.checkerframework.checker.nullness.qual.Nullable;

import static java.util.Objects.requireNonNull;

/**
 * A sub-query sent to peers, as one logical leaf of the requesting peer's plan: its rows are the
 * union of every contacted peer's answer. {@link PeerQueryToEnumerableRule} makes it executable
 * as an {@link EnumerablePeerQuery}, which reads the peers through a {@link ParallelExchange}.
 *
 * <p>It holds a <em>fragment</em>: a small relational tree (scans of distributed tables under
 * filters, projections, co-located joins, and one aggregate or top-N) that each peer runs on its
 * own store, written as SQL by {@link FragmentSql}. The pushdown rules registered here grow the
 * fragment; the planner compares the cost of growing it with that of doing the work at the
 * requesting peer. The fragment is never registered with the planner, so no other rule can
 * mistake a per-peer partial result for the whole relation.
 */
public final class PeerQuery extends AbstractRelNode {

  /** Cost of moving one row field from a peer, relative to processing it locally. */
  private static final double TRANSFER_COST_PER_FIELD = 0.1;

  /** What the fragment's top computes, and so what may still be pushed onto it. */
  enum Stage {
    /** The union of the peers' answers is exactly the fragment's relation: more may be pushed. */
    ROWS,
    /** Each peer returns partial aggregates, merged by an aggregate above: nothing more pushed. */
    PARTIAL_AGGREGATE,
    /** Each peer returns its own top N, merged by a sort above: nothing more pushed. */
    TOP_N
  }

  private final RelNode fragment;
  private final Stage stage;
  private final PeerSelection selection;
  private final @Nullable Partitioning partitioning;
  private final QueryRuntime runtime;
  private FragmentSql.@Nullable Rendered rendered;

  /** Creates a PeerQuery. */
  PeerQuery(RelOptCluster cluster, RelTraitSet traitSet, RelNode fragment, Stage stage,
      PeerSelection selection, @Nullable Partitioning partitioning, QueryRuntime runtime) {
    super(cluster, traitSet);
    this.fragment = requireNonNull(fragment, "fragment is null");
    this.stage = requireNonNull(stage, "stage is null");
    this.selection = requireNonNull(selection, "selection is null");
    this.partitioning = partitioning;
    this.runtime = requireNonNull(runtime, "runtime is null");
  }

  /** Creates the PeerQuery that scans a whole distributed table. */
  static PeerQuery scan(RelOptCluster cluster, RelOptTable relOptTable, DistributedTable table) {
    var scan = LogicalTableScan.create(cluster, relOptTable, List.of());
    var definition = table.definition();
    var partitioning = definition.coLocation()
        .map(c -> new Partitioning(c.group(), ImmutableBitSet.of(definition.columnIndex(c.column()))))
        .orElse(null);
    return new PeerQuery(cluster, cluster.traitSetOf(Convention.NONE), scan, Stage.ROWS,
        new PeerSelection.Scan(0, definition.name(), java.util.Map.of()), partitioning, table.runtime());
  }

  /** A PeerQuery with a grown fragment; other properties as given. */
  PeerQuery with(RelNode newFragment, Stage newStage, PeerSelection newSelection,
      @Nullable Partitioning newPartitioning) {
    return new PeerQuery(getCluster(), getTraitSet(), newFragment, newStage, newSelection,
        newPartitioning, runtime);
  }

  RelNode fragment() {
    return fragment;
  }

  Stage stage() {
    return stage;
  }

  PeerSelection selection() {
    return selection;
  }

  @Nullable Partitioning partitioning() {
    return partitioning;
  }

  QueryRuntime runtime() {
    return runtime;
  }

  /**
   * Whether row-wise operators (filter, project, join, aggregate, top-N) may still be pushed: the
   * logical form (convention NONE, which sits in the same subsets as the operators above it) of a
   * fragment whose union over the peers is its whole relation.
   */
  boolean acceptsPushdown() {
    return stage == Stage.ROWS && getConvention() == Convention.NONE;
  }

  /**
   * This query with a filter pushed into every peer's fragment; conjuncts on range-indexed columns
   * of a scan also narrow the peers to contact.
   */
  PeerQuery filter(RexNode condition) {
    return with(LogicalFilter.create(fragment, condition), stage, narrow(fragment, selection, condition),
        partitioning);
  }

  /** The selection narrowed by the conjuncts of {@code condition} (on {@code fragment}'s fields)
   * that constrain one range-indexed column. */
  static PeerSelection narrow(RelNode fragment, PeerSelection selection, RexNode condition) {
    var narrowed = selection;
    for (var conjunct : RelOptUtil.conjunctions(condition)) {
      var fields = RelOptUtil.InputFinder.bits(conjunct);
      if (fields.cardinality() != 1) {
        continue;
      }
      int field = fields.nth(0);
      var origin = FragmentLineage.origin(fragment, field);
      if (origin.isEmpty() || !origin.get().table().definition().rangeIndexed().contains(origin.get().column())) {
        continue;
      }
      var type = fragment.getRowType().getFieldList().get(field).getType();
      var onColumn = conjunct.accept(new RexShuttle() {
        @Override
        public RexNode visitInputRef(RexInputRef ref) {
          return new RexInputRef(0, type);
        }
      });
      narrowed = narrowed.narrow(origin.get().leaf(), origin.get().column(), onColumn);
    }
    return narrowed;
  }

  /** This query with only the given fields (in order) kept by every peer's fragment. */
  PeerQuery project(ImmutableBitSet fields) {
    var rexBuilder = getCluster().getRexBuilder();
    var projects = new ArrayList<RexNode>();
    var names = new ArrayList<String>();
    var sources = new int[fields.cardinality()];
    int i = 0;
    for (int field : fields) {
      projects.add(rexBuilder.makeInputRef(fragment, field));
      names.add(fragment.getRowType().getFieldNames().get(field));
      sources[i++] = field;
    }
    var projected = LogicalProject.create(fragment, List.of(), projects, names, java.util.Set.of());
    return with(projected, stage, selection, partitioning == null ? null : partitioning.project(sources));
  }

  /** Names of the global-schema tables the fragment reads. */
  List<String> tables() {
    var names = new LinkedHashSet<String>();
    collectTables(fragment, names);
    return List.copyOf(names);
  }

  private static void collectTables(RelNode node, LinkedHashSet<String> names) {
    if (node instanceof TableScan scan) {
      var table = scan.getTable().unwrap(DistributedTable.class);
      if (table != null) {
        names.add(table.definition().name());
      }
    }
    node.getInputs().forEach(input -> collectTables(input, names));
  }

  /** The fragment as the stores' SQL, with parameters as {@code ?}. */
  String sql() {
    return rendered().sql();
  }

  /** The fragment as the stores' SQL, with the statement parameter behind each {@code ?}. */
  FragmentSql.Rendered rendered() {
    if (rendered == null) {
      rendered = FragmentSql.render(fragment, runtime.storeDialect());
    }
    return rendered;
  }

  @Override
  protected RelDataType deriveRowType() {
    return fragment.getRowType();
  }

  @Override
  public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
    return new PeerQuery(getCluster(), traitSet, fragment, stage, selection, partitioning, runtime);
  }

  @Override
  public RelWriter explainTerms(RelWriter pw) {
    super.explainTerms(pw)
        .item("stage", stage)
        .item("sql", sql())
        .item("scan", selection.toString());
    if (pw.getDetailLevel() != SqlExplainLevel.DIGEST_ATTRIBUTES) {
      pw.item("peers", peersForExplain());
    }
    return pw;
  }

  private String peersForExplain() {
    var deferred = hasParameters();
    var peers = selection.resolve(runtime.locator()).stream()
        .map(peer -> peer.id()).collect(Collectors.joining(", ", "[", "]"));
    return deferred ? peers + " before parameters narrow them" : peers;
  }

  boolean hasParameters() {
    var found = new ArrayList<RexDynamicParam>();
    collectParameters(fragment, found);
    return !found.isEmpty();
  }

  private static void collectParameters(RelNode node, List<RexDynamicParam> found) {
    node.accept(new RexShuttle() {
      @Override
      public RexNode visitDynamicParam(RexDynamicParam param) {
        found.add(param);
        return param;
      }
    });
    node.getInputs().forEach(input -> collectParameters(input, found));
  }

  @Override
  public double estimateRowCount(RelMetadataQuery mq) {
    return mq.getRowCount(fragment);
  }

  /** Cost of running this query at the peers and shipping its rows, as the enumerable form pays it. */
  RelOptCost transferCost(RelOptPlanner planner, RelMetadataQuery mq) {
    // Rows shipped between peers dominate: each costs a little per field, so a fragment that
    // filters, projects or aggregates more at the peers is cheaper.
    double rows = estimateRowCount(mq);
    double fields = getRowType().getFieldCount();
    double transfer = rows * (1 + fields * TRANSFER_COST_PER_FIELD);
    return planner.getCostFactory().makeCost(transfer, transfer, 0);
  }

  @Override
  public void register(RelOptPlanner planner) {
    planner.addRule(PeerFilterRule.CONFIG.toRule());
    planner.addRule(PeerProjectRule.CONFIG.toRule());
    planner.addRule(PeerAggregateRule.CONFIG.toRule());
    planner.addRule(PeerTopNRule.CONFIG.toRule());
    planner.addRule(PeerColocatedJoinRule.CONFIG.toRule());
    planner.addRule(JoinFactorRule.CONFIG.toRule());
    planner.addRule(PeerQueryToEnumerableRule.CONFIG.toRule());
  }
}
