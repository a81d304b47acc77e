package io.peersql.query.distributed;

import com.google.common.collect.BoundType;
import com.google.common.collect.ImmutableRangeSet;
import com.google.common.collect.Range;
import com.google.common.collect.RangeSet;
import com.google.common.collect.TreeRangeSet;
import io.peersql.query.peer.PeerLocator;
import io.peersql.query.peer.PeerRef;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUnknownAs;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;
import org.apache.calcite.util.TimestampString;

/**
 * Turns conditions on one range-indexed column (read as {@code $0}) into the value ranges that
 * can satisfy them, and those into the peers whose range index overlaps. A condition it does not
 * understand (or one still holding an unbound parameter) allows every value: pruning is only
 * ever conservative.
 */
final class ValueRanges {

  /** Above this many disjoint ranges, ask the locator for their span once instead. */
  private static final int MAX_LOOKUPS = 32;

  private ValueRanges() {
  }

  static List<PeerRef> peersFor(PeerLocator locator, String table, String column, List<RexNode> conditions) {
    var allowed = allowed(conditions);
    if (allowed.isEmpty()) {
      return List.of();
    }
    if (allowed.encloses(Range.all())) {
      return locator.peersHolding(table);
    }
    List<Range<Comparable>> lookups = allowed.asRanges().size() > MAX_LOOKUPS
        ? List.of(allowed.span()) : List.copyOf(allowed.asRanges());
    var peers = new LinkedHashSet<PeerRef>();
    for (var range : lookups) {
      peers.addAll(locator.peersOverlapping(table, column,
          range.hasLowerBound() ? (Comparable<?>) range.lowerEndpoint() : null,
          range.hasUpperBound() ? (Comparable<?>) range.upperEndpoint() : null));
    }
    return List.copyOf(peers);
  }

  /** The values that satisfy all of {@code conditions} (each on one column). */
  static RangeSet<Comparable> allowed(List<RexNode> conditions) {
    // One condition (a point or range query's) is its own answer; more are intersected.
    RangeSet<Comparable> allowed = conditions.size() == 1
        ? rangesOf(conditions.getFirst()) : TreeRangeSet.create(List.of(Range.all()));
    for (var condition : conditions.size() == 1 ? List.<RexNode>of() : conditions) {
      var intersection = TreeRangeSet.<Comparable>create();
      for (var range : rangesOf(condition).asRanges()) {
        intersection.addAll(allowed.subRangeSet(range));
      }
      allowed = intersection;
    }
    return allowed;
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  static RangeSet<Comparable> rangesOf(RexNode condition) {
    if (!(condition instanceof RexCall call)) {
      return all();
    }
    if (call.getKind() == SqlKind.SEARCH && call.operands.get(0) instanceof RexInputRef
        && call.operands.get(1) instanceof RexLiteral literal) {
      var type = call.operands.get(0).getType().getSqlTypeName();
      var sarg = literal.getValueAs(Sarg.class);
      if (sarg == null || sarg.nullAs == RexUnknownAs.TRUE) {
        return all();
      }
      var result = TreeRangeSet.<Comparable>create();
      for (Object o : sarg.rangeSet.asRanges()) {
        var range = (Range) o;
        var lower = range.hasLowerBound() ? toJava(range.lowerEndpoint(), type) : null;
        var upper = range.hasUpperBound() ? toJava(range.upperEndpoint(), type) : null;
        if ((range.hasLowerBound() && lower == null) || (range.hasUpperBound() && upper == null)) {
          return all();
        }
        result.add(range(lower, range.hasLowerBound() ? range.lowerBoundType() : null,
            upper, range.hasUpperBound() ? range.upperBoundType() : null));
      }
      return result;
    }
    if (call.operands.size() != 2) {
      return all();
    }
    var kind = call.getKind();
    RexNode left = RexUtil.removeCast(call.operands.get(0));
    RexNode right = RexUtil.removeCast(call.operands.get(1));
    if (left instanceof RexLiteral && right instanceof RexInputRef) {
      kind = kind.reverse();
      var swap = left;
      left = right;
      right = swap;
    }
    if (!(left instanceof RexInputRef) || !(right instanceof RexLiteral literal)) {
      return all();
    }
    Comparable value = toJava(valueOf(literal), left.getType().getSqlTypeName());
    if (value == null) {
      return all();
    }
    Range range = switch (kind) {
      case EQUALS -> Range.singleton(value);
      case LESS_THAN -> Range.lessThan(value);
      case LESS_THAN_OR_EQUAL -> Range.atMost(value);
      case GREATER_THAN -> Range.greaterThan(value);
      case GREATER_THAN_OR_EQUAL -> Range.atLeast(value);
      default -> null;
    };
    return range == null ? all() : (RangeSet<Comparable>) ImmutableRangeSet.of(range);
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static Range range(Comparable lower, BoundType lowerType, Comparable upper, BoundType upperType) {
    if (lower == null && upper == null) {
      return Range.all();
    }
    if (lower == null) {
      return Range.upTo(upper, upperType);
    }
    if (upper == null) {
      return Range.downTo(lower, lowerType);
    }
    return Range.range(lower, lowerType, upper, upperType);
  }

  /** A literal's value as {@link #toJava} reads it ({@code getValue()} gives dates as Calendars). */
  private static Object valueOf(RexLiteral literal) {
    return switch (literal.getTypeName()) {
      case DATE -> literal.getValueAs(DateString.class);
      case TIMESTAMP -> literal.getValueAs(TimestampString.class);
      default -> literal.getValue();
    };
  }

  private static RangeSet<Comparable> all() {
    return ImmutableRangeSet.of(Range.all());
  }

  /** A Calcite literal value as the locator's Java type for a column of the given type, or null. */
  static Comparable<?> toJava(Object value, SqlTypeName columnType) {
    if (value == null) {
      return null;
    }
    return switch (columnType) {
      case BIGINT, INTEGER, SMALLINT, TINYINT -> value instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0
          ? (Comparable<?>) d.longValueExact()
          : value instanceof Long || value instanceof Integer ? (Comparable<?>) ((Number) value).longValue() : null;
      case DECIMAL -> value instanceof BigDecimal d ? d : null;
      case DOUBLE, FLOAT, REAL -> value instanceof Number n ? (Comparable<?>) n.doubleValue() : null;
      case DATE -> value instanceof DateString d ? LocalDate.ofEpochDay(d.getDaysSinceEpoch()) : null;
      case TIMESTAMP -> value instanceof TimestampString t
          ? LocalDateTime.parse(t.toString().replace(' ', 'T')) : null;
      case CHAR, VARCHAR -> value instanceof NlsString s ? s.getValue() : value instanceof String s ? s : null;
      default -> null;
    };
  }
}
