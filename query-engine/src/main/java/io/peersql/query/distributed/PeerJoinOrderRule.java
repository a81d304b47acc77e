package io.peersql.query.distributed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.rules.MultiJoin;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Rule that matches an inner {@code MultiJoin} and builds a left-deep join tree greedily: it
 * starts with the largest input and adds, each time, the input that gives the smallest estimated
 * result. Estimates use what the global schema knows and Calcite's generic selectivities do not:
 * a join on an input's whole primary key (or on an aggregate's group key) keeps at most one
 * match per row, a filtered input keeps the fraction of its table that passes, and a join on a
 * co-location key runs inside the peers (so it is preferred on ties). Inputs without a join
 * condition come last. Multi-joins with outer joins are left to Calcite's
 * {@code LoptOptimizeJoinRule}.
 */
final class PeerJoinOrderRule extends RelRule<PeerRuleConfig> {

  static final PeerRuleConfig CONFIG = PeerRuleConfig.of("PeerJoinOrderRule",
      b0 -> b0.operand(MultiJoin.class).anyInputs(),
      PeerJoinOrderRule::new);

  /** Selectivity assumed for an equi-join on columns that are a key of neither side. */
  private static final double NON_KEY_JOIN_SELECTIVITY = 0.1;

  /** Creates a PeerJoinOrderRule. */
  PeerJoinOrderRule(PeerRuleConfig config) {
    super(config);
  }

  /** One input of the multi-join, with what the estimates need. */
  private record Factor(int index, RelNode input, int offset, int fieldCount, double rows, double tableRows) {
  }

  /** An equality between a field of one factor and a field of another. */
  private record EquiPair(int leftFactor, int leftField, int rightFactor, int rightField) {
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    MultiJoin multiJoin = call.rel(0);
    if (multiJoin.isFullOuterJoin() || multiJoin.getPostJoinFilter() != null
        || multiJoin.getJoinTypes().stream().anyMatch(type -> type != JoinRelType.INNER)) {
      return;
    }
    var inputs = multiJoin.getInputs();
    for (int i = 0; i < inputs.size(); i++) {
      var fields = multiJoin.getProjFields().get(i);
      if (fields != null && !fields.equals(ImmutableBitSet.range(inputs.get(i).getRowType().getFieldCount()))) {
        return;
      }
    }
    var mq = call.getMetadataQuery();
    var factors = new ArrayList<Factor>();
    int offset = 0;
    for (int i = 0; i < inputs.size(); i++) {
      var input = inputs.get(i).stripped();
      double rows = mq.getRowCount(input);
      factors.add(new Factor(i, input, offset, input.getRowType().getFieldCount(), rows,
          tableRows(input, rows)));
      offset += input.getRowType().getFieldCount();
    }
    var conjuncts = RelOptUtil.conjunctions(multiJoin.getJoinFilter());
    var pairs = new ArrayList<EquiPair>();
    for (var conjunct : conjuncts) {
      equiPair(conjunct, factors).ifPresent(pairs::add);
    }

    var dimensions = dimensions(factors, pairs, mq);
    var heads = new ArrayList<Factor>();
    for (var factor : factors) {
      double rows = factor.tableRows() * fraction(factor.index(), factors, dimensions);
      heads.add(new Factor(factor.index(), factor.input(), factor.offset(), factor.fieldCount(),
          Math.max(rows, 1), factor.tableRows()));
    }
    var attachedAnywhere = dimensions.values().stream().flatMap(List::stream).toList();
    var order = order(heads, attachedAnywhere, pairs, mq);
    call.transformTo(build(call, multiJoin, factors, order, dimensions, conjuncts));
  }

  private static double tableRows(RelNode input, double rows) {
    if (input instanceof PeerQuery query) {
      var scans = FragmentLineage.leaves(query.fragment());
      if (scans == 1) {
        var origin = FragmentLineage.origin(query.fragment(), 0);
        if (origin.isPresent()) {
          return Math.max(rows, origin.get().table().rowCount());
        }
      }
    }
    return rows;
  }

  private static java.util.Optional<EquiPair> equiPair(RexNode conjunct, List<Factor> factors) {
    if (conjunct.getKind() != SqlKind.EQUALS || !(conjunct instanceof RexCall equals)
        || !(equals.getOperands().get(0) instanceof RexInputRef a)
        || !(equals.getOperands().get(1) instanceof RexInputRef b)) {
      return java.util.Optional.empty();
    }
    int fa = factorOf(a.getIndex(), factors);
    int fb = factorOf(b.getIndex(), factors);
    if (fa == fb) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new EquiPair(fa, a.getIndex() - factors.get(fa).offset(),
        fb, b.getIndex() - factors.get(fb).offset()));
  }

  private static int factorOf(int field, List<Factor> factors) {
    for (var factor : factors) {
      if (field < factor.offset() + factor.fieldCount()) {
        return factor.index();
      }
    }
    throw new IllegalArgumentException("field " + field + " beyond the multi-join's inputs");
  }

  /** The greedy order: the largest factor, then each time the one giving the smallest result. */
  private static List<Integer> order(List<Factor> factors, List<Integer> attached, List<EquiPair> pairs,
      RelMetadataQuery mq) {
    var placed = new ArrayList<Integer>();
    int first = -1;
    for (var factor : factors) {
      if (!attached.contains(factor.index()) && (first < 0 || factor.rows() > factors.get(first).rows())) {
        first = factor.index();
      }
    }
    placed.add(first);
    double rows = factors.get(first).rows();
    while (placed.size() + attached.size() < factors.size()) {
      int best = -1;
      double bestRows = Double.MAX_VALUE;
      double bestScore = Double.MAX_VALUE;
      for (var candidate : factors) {
        if (placed.contains(candidate.index()) || attached.contains(candidate.index())) {
          continue;
        }
        double estimate = joinedRows(rows, placed, candidate, factors, pairs, mq);
        double score = colocated(placed, candidate, factors, pairs) ? estimate * 0.5 : estimate;
        if (!connected(placed, candidate, pairs)) {
          // A cross product only when nothing else joins.
          score = Double.MAX_VALUE / 2 + Math.min(estimate, Double.MAX_VALUE / 4);
        }
        if (score < bestScore) {
          best = candidate.index();
          bestScore = score;
          bestRows = estimate;
        }
      }
      placed.add(best);
      rows = Math.max(bestRows, 1);
    }
    return placed;
  }

  /**
   * Filtered inputs joined on their whole key to exactly one other input (TPC-H: {@code nation}
   * restricted to one name, joined to {@code supplier} only), by the input they hang on. Such a
   * dimension is joined to its input before that input meets the rest, so that it filters early;
   * the join that follows then carries few keys, which semi-join reduction sends to the peers.
   * A dimension with its own dimensions counts as filtered by them ({@code region} restricted to
   * one name makes {@code nation} a dimension of {@code supplier}). An input joined inside the
   * peers with a co-located one takes no dimension: the co-located pair joins first, for free,
   * and the dimension's keys then narrow the pair's fragments (Q3: {@code customer} of one
   * segment narrows {@code orders} joined with {@code lineitem}).
   */
  private static Map<Integer, List<Integer>> dimensions(List<Factor> factors, List<EquiPair> pairs,
      RelMetadataQuery mq) {
    var result = new HashMap<Integer, List<Integer>>();
    var attached = new java.util.HashSet<Integer>();
    for (boolean changed = true; changed; ) {
      changed = false;
      for (var dimension : factors) {
        if (attached.contains(dimension.index())
            || fraction(dimension.index(), factors, result) >= 0.5) {
          continue;
        }
        var unit = unit(dimension.index(), result);
        var partners = new java.util.HashSet<Integer>();
        var keys = ImmutableBitSet.builder();
        boolean fromRoot = true;
        for (var pair : pairs) {
          boolean left = unit.contains(pair.leftFactor());
          boolean right = unit.contains(pair.rightFactor());
          if (left == right) {
            continue;
          }
          partners.add(left ? pair.rightFactor() : pair.leftFactor());
          int member = left ? pair.leftFactor() : pair.rightFactor();
          fromRoot &= member == dimension.index();
          keys.set(left ? pair.leftField() : pair.rightField());
        }
        if (partners.size() != 1 || !fromRoot) {
          continue;
        }
        int head = partners.iterator().next();
        var headFactor = factors.get(head);
        if (!unique(dimension.input(), keys.build(), mq)
            || colocated(List.of(head), dimension, factors, pairs)
            || factors.stream().anyMatch(other -> other.index() != head
                && colocated(List.of(other.index()), headFactor, factors, pairs))) {
          continue;
        }
        result.computeIfAbsent(head, h -> new ArrayList<>()).add(dimension.index());
        attached.add(dimension.index());
        changed = true;
      }
    }
    return result;
  }

  /** The fraction of its table a factor keeps, with the dimensions hung on it. */
  private static double fraction(int index, List<Factor> factors, Map<Integer, List<Integer>> dimensions) {
    var factor = factors.get(index);
    double fraction = factor.rows() / factor.tableRows();
    for (int d : dimensions.getOrDefault(index, List.of())) {
      fraction *= fraction(d, factors, dimensions);
    }
    return fraction;
  }

  /** A factor and every dimension hung on it, directly or through another dimension. */
  private static java.util.Set<Integer> unit(int index, Map<Integer, List<Integer>> dimensions) {
    var members = new java.util.HashSet<Integer>();
    var pending = new java.util.ArrayDeque<Integer>();
    pending.add(index);
    while (!pending.isEmpty()) {
      int member = pending.poll();
      if (members.add(member)) {
        pending.addAll(dimensions.getOrDefault(member, List.of()));
      }
    }
    return members;
  }

  private static boolean connected(List<Integer> placed, Factor candidate, List<EquiPair> pairs) {
    return pairs.stream().anyMatch(pair ->
        (pair.leftFactor() == candidate.index() && placed.contains(pair.rightFactor()))
            || (pair.rightFactor() == candidate.index() && placed.contains(pair.leftFactor())));
  }

  private static double joinedRows(double rows, List<Integer> placed, Factor candidate, List<Factor> factors,
      List<EquiPair> pairs, RelMetadataQuery mq) {
    var candidateKeys = ImmutableBitSet.builder();
    var placedKeys = new HashMap<Integer, ImmutableBitSet.Builder>();
    for (var pair : pairs) {
      if (pair.leftFactor() == candidate.index() && placed.contains(pair.rightFactor())) {
        candidateKeys.set(pair.leftField());
        placedKeys.computeIfAbsent(pair.rightFactor(), k -> ImmutableBitSet.builder()).set(pair.rightField());
      } else if (pair.rightFactor() == candidate.index() && placed.contains(pair.leftFactor())) {
        candidateKeys.set(pair.rightField());
        placedKeys.computeIfAbsent(pair.leftFactor(), k -> ImmutableBitSet.builder()).set(pair.leftField());
      }
    }
    var keys = candidateKeys.build();
    if (keys.isEmpty()) {
      return rows * candidate.rows();
    }
    if (unique(candidate.input(), keys, mq)) {
      // Each row finds at most one partner: the fraction of the candidate's table left by its filters.
      return rows * candidate.rows() / candidate.tableRows();
    }
    for (Map.Entry<Integer, ImmutableBitSet.Builder> entry : placedKeys.entrySet()) {
      var other = factors.get(entry.getKey());
      if (unique(other.input(), entry.getValue().build(), mq)) {
        // The candidate's rows each find at most one partner in a unique key already placed.
        return candidate.rows() * Math.min(1, rows / other.tableRows());
      }
    }
    return rows * candidate.rows() * NON_KEY_JOIN_SELECTIVITY;
  }

  private static boolean unique(RelNode input, ImmutableBitSet keys, RelMetadataQuery mq) {
    if (Boolean.TRUE.equals(mq.areColumnsUnique(input, keys))) {
      return true;
    }
    if (input instanceof PeerQuery query) {
      // A fragment's fields traced back to one table's primary key.
      var columns = new ArrayList<String>();
      DistributedTable table = null;
      for (int key : keys) {
        var origin = FragmentLineage.origin(query.fragment(), key);
        if (origin.isEmpty() || (table != null && table != origin.get().table())) {
          return false;
        }
        table = origin.get().table();
        columns.add(origin.get().column());
      }
      return table != null && FragmentLineage.leaves(query.fragment()) == 1
          && columns.containsAll(table.definition().primaryKey());
    }
    return false;
  }

  private static boolean colocated(List<Integer> placed, Factor candidate, List<Factor> factors, List<EquiPair> pairs) {
    if (!(candidate.input() instanceof PeerQuery c) || c.partitioning() == null) {
      return false;
    }
    for (var pair : pairs) {
      int other;
      int candidateField;
      int otherField;
      if (pair.leftFactor() == candidate.index()) {
        other = pair.rightFactor();
        candidateField = pair.leftField();
        otherField = pair.rightField();
      } else if (pair.rightFactor() == candidate.index()) {
        other = pair.leftFactor();
        candidateField = pair.rightField();
        otherField = pair.leftField();
      } else {
        continue;
      }
      if (placed.contains(other) && factors.get(other).input() instanceof PeerQuery o
          && o.partitioning() != null && o.partitioning().group().equals(c.partitioning().group())
          && o.partitioning().keys().get(otherField) && c.partitioning().keys().get(candidateField)) {
        return true;
      }
    }
    return false;
  }

  /** Joins the inputs in the given order, each join taking the conditions it can evaluate. */
  private static RelNode build(RelOptRuleCall call, MultiJoin multiJoin, List<Factor> factors,
      List<Integer> order, Map<Integer, List<Integer>> dimensions, List<RexNode> conjuncts) {
    var builder = call.builder();
    var remaining = new ArrayList<>(conjuncts);
    // Where each of the multi-join's fields is in the tree built so far.
    var position = new HashMap<Integer, Integer>();
    int width = 0;
    boolean first = true;
    for (int head : order) {
      // The head, with its dimensions joined to it first (a bushy branch).
      var local = new HashMap<Integer, Integer>();
      int localWidth = pushUnit(head, factors, dimensions, remaining, local, builder);
      for (var entry : local.entrySet()) {
        position.put(entry.getKey(), entry.getValue() + width);
      }
      width += localWidth;
      var applicable = take(remaining, position, builder);
      if (!first) {
        builder.join(JoinRelType.INNER, applicable);
      } else if (!applicable.isEmpty()) {
        builder.filter(applicable);
      }
      first = false;
    }
    var projects = new ArrayList<RexNode>();
    int total = multiJoin.getRowType().getFieldCount();
    for (int field = 0; field < total; field++) {
      projects.add(builder.field(position.get(field)));
    }
    builder.project(projects, multiJoin.getRowType().getFieldNames(), true);
    return builder.build();
  }

  /**
   * Pushes a factor joined with its dimensions (each built the same way first), records where the
   * multi-join's fields are in it, and returns its width.
   */
  private static int pushUnit(int index, List<Factor> factors, Map<Integer, List<Integer>> dimensions,
      List<RexNode> remaining, Map<Integer, Integer> local, org.apache.calcite.tools.RelBuilder builder) {
    var factor = factors.get(index);
    builder.push(factor.input());
    for (int f = 0; f < factor.fieldCount(); f++) {
      local.put(factor.offset() + f, f);
    }
    int width = factor.fieldCount();
    for (int dimension : dimensions.getOrDefault(index, List.of())) {
      var inner = new HashMap<Integer, Integer>();
      int innerWidth = pushUnit(dimension, factors, dimensions, remaining, inner, builder);
      for (var entry : inner.entrySet()) {
        local.put(entry.getKey(), entry.getValue() + width);
      }
      width += innerWidth;
      builder.join(JoinRelType.INNER, take(remaining, local, builder));
    }
    return width;
  }

  /** Removes from {@code remaining} the conditions on placed fields only, remapped to their places. */
  private static List<RexNode> take(List<RexNode> remaining, Map<Integer, Integer> position,
      org.apache.calcite.tools.RelBuilder builder) {
    var applicable = new ArrayList<RexNode>();
    for (var iterator = remaining.iterator(); iterator.hasNext(); ) {
      var conjunct = iterator.next();
      if (RelOptUtil.InputFinder.bits(conjunct).asList().stream().allMatch(position::containsKey)) {
        applicable.add(remap(conjunct, position, builder));
        iterator.remove();
      }
    }
    return applicable;
  }

  private static RexNode remap(RexNode conjunct, Map<Integer, Integer> position,
      org.apache.calcite.tools.RelBuilder builder) {
    var rexBuilder = builder.getRexBuilder();
    return conjunct.accept(new RexShuttle() {
      @Override
      public RexNode visitInputRef(RexInputRef ref) {
        return rexBuilder.makeInputRef(ref.getType(), position.get(ref.getIndex()));
      }
    });
  }
}
