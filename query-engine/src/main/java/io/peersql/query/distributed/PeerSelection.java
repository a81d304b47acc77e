package io.peersql.query.distributed;

import io.peersql.query.peer.PeerLocator;
import io.peersql.query.peer.PeerRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.calcite.rex.RexNode;

/**
 * Which peers a per-peer fragment must be sent to, as an expression over its table scans: each
 * scan's holders, narrowed by the range conditions pushed onto range-indexed columns, combined
 * by the co-located joins in the fragment (an inner join needs only peers holding both sides).
 * Resolved through the {@link PeerLocator} for every execution, after parameters are bound.
 */
sealed interface PeerSelection {

  /** The peers to contact, in a stable order. */
  List<PeerRef> resolve(PeerLocator locator);

  /** The same selection with every condition rewritten (for example, parameters bound). */
  PeerSelection mapConditions(UnaryOperator<RexNode> rewrite);

  /** The same selection with a range condition added to leaf {@code leaf}. */
  PeerSelection narrow(int leaf, String column, RexNode condition);

  /** The same selection with leaves renumbered by {@code offset} (right side of a join). */
  PeerSelection shift(int offset);

  /** The rows of table {@code table} (scan number {@code leaf} of the fragment), with conditions
   * on range-indexed columns; each condition reads the column as input {@code $0}. */
  record Scan(int leaf, String table, Map<String, List<RexNode>> ranges) implements PeerSelection {
    public Scan {
      ranges = Map.copyOf(ranges);
    }

    @Override
    public List<PeerRef> resolve(PeerLocator locator) {
      if (ranges.isEmpty()) {
        return List.copyOf(new LinkedHashSet<>(locator.peersHolding(table)));
      }
      LinkedHashSet<PeerRef> result = null;
      for (var entry : ranges.entrySet()) {
        var peers = ValueRanges.peersFor(locator, table, entry.getKey(), entry.getValue());
        if (result == null) {
          result = new LinkedHashSet<>(peers);
        } else {
          result.retainAll(peers);
        }
      }
      return List.copyOf(result);
    }

    @Override
    public PeerSelection mapConditions(UnaryOperator<RexNode> rewrite) {
      var mapped = new LinkedHashMap<String, List<RexNode>>();
      ranges.forEach((column, conditions) -> mapped.put(column, conditions.stream().map(rewrite).toList()));
      return new Scan(leaf, table, mapped);
    }

    @Override
    public PeerSelection narrow(int target, String column, RexNode condition) {
      if (target != leaf) {
        return this;
      }
      var mapped = new LinkedHashMap<>(ranges);
      var conditions = new ArrayList<>(mapped.getOrDefault(column, List.of()));
      conditions.add(condition);
      mapped.put(column, List.copyOf(conditions));
      return new Scan(leaf, table, mapped);
    }

    @Override
    public PeerSelection shift(int offset) {
      return new Scan(leaf + offset, table, ranges);
    }

    @Override
    public String toString() {
      if (ranges.isEmpty()) {
        return table;
      }
      var parts = new ArrayList<String>();
      ranges.forEach((column, conditions) -> parts.add(column + ":" + conditions));
      return table + parts;
    }
  }

  /** Peers that both sides need (inner or semi join of co-located fragments). */
  record Both(PeerSelection left, PeerSelection right) implements PeerSelection {
    @Override
    public List<PeerRef> resolve(PeerLocator locator) {
      var result = new LinkedHashSet<>(left.resolve(locator));
      result.retainAll(right.resolve(locator));
      return List.copyOf(result);
    }

    @Override
    public PeerSelection mapConditions(UnaryOperator<RexNode> rewrite) {
      return new Both(left.mapConditions(rewrite), right.mapConditions(rewrite));
    }

    @Override
    public PeerSelection narrow(int leaf, String column, RexNode condition) {
      return new Both(left.narrow(leaf, column, condition), right.narrow(leaf, column, condition));
    }

    @Override
    public PeerSelection shift(int offset) {
      return new Both(left.shift(offset), right.shift(offset));
    }

    @Override
    public String toString() {
      return "(" + left + " & " + right + ")";
    }
  }

  /** Peers that either side needs (full outer join of co-located fragments). */
  record Either(PeerSelection left, PeerSelection right) implements PeerSelection {
    @Override
    public List<PeerRef> resolve(PeerLocator locator) {
      var result = new LinkedHashSet<>(left.resolve(locator));
      result.addAll(right.resolve(locator));
      return List.copyOf(result);
    }

    @Override
    public PeerSelection mapConditions(UnaryOperator<RexNode> rewrite) {
      return new Either(left.mapConditions(rewrite), right.mapConditions(rewrite));
    }

    @Override
    public PeerSelection narrow(int leaf, String column, RexNode condition) {
      return new Either(left.narrow(leaf, column, condition), right.narrow(leaf, column, condition));
    }

    @Override
    public PeerSelection shift(int offset) {
      return new Either(left.shift(offset), right.shift(offset));
    }

    @Override
    public String toString() {
      return "(" + left + " | " + right + ")";
    }
  }
}
