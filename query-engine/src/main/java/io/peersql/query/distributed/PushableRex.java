package io.peersql.query.distributed;

import java.util.Set;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Which row expressions a peer's store can evaluate exactly as Calcite would: comparisons, logic,
 * arithmetic, CASE, CAST to plain types, LIKE, and a few string and date functions. Anything else
 * (window functions, correlation variables, sub-queries, Calcite-only functions) stays at the
 * requesting peer.
 */
final class PushableRex {

  private static final Set<SqlKind> KINDS = Set.of(
      SqlKind.AND, SqlKind.OR, SqlKind.NOT,
      SqlKind.EQUALS, SqlKind.NOT_EQUALS, SqlKind.LESS_THAN, SqlKind.LESS_THAN_OR_EQUAL,
      SqlKind.GREATER_THAN, SqlKind.GREATER_THAN_OR_EQUAL, SqlKind.SEARCH,
      SqlKind.IS_NULL, SqlKind.IS_NOT_NULL, SqlKind.IS_TRUE, SqlKind.IS_FALSE,
      SqlKind.IS_NOT_TRUE, SqlKind.IS_NOT_FALSE,
      SqlKind.PLUS, SqlKind.MINUS, SqlKind.TIMES, SqlKind.MINUS_PREFIX, SqlKind.PLUS_PREFIX,
      SqlKind.CASE, SqlKind.CAST, SqlKind.LIKE, SqlKind.COALESCE, SqlKind.EXTRACT);

  private static final Set<String> FUNCTIONS = Set.of(
      "SUBSTRING", "UPPER", "LOWER", "CHAR_LENGTH", "CHARACTER_LENGTH", "||", "TRIM");

  private static final Set<SqlTypeName> CAST_TARGETS = Set.of(
      SqlTypeName.BIGINT, SqlTypeName.INTEGER, SqlTypeName.SMALLINT, SqlTypeName.DECIMAL,
      SqlTypeName.DOUBLE, SqlTypeName.DATE, SqlTypeName.VARCHAR, SqlTypeName.CHAR, SqlTypeName.BOOLEAN);

  private PushableRex() {
  }

  static boolean isPushable(RexNode node) {
    return switch (node) {
      case RexInputRef ref -> true;
      case RexLiteral literal -> literal.getTypeName() != SqlTypeName.SYMBOL
          || literal.getValue() instanceof Enum<?>;
      case RexDynamicParam param -> true;
      case RexCall call -> operatorPushable(call) && call.getOperands().stream().allMatch(PushableRex::isPushable);
      default -> false;
    };
  }

  private static boolean operatorPushable(RexCall call) {
    if (call.getKind() == SqlKind.CAST) {
      return CAST_TARGETS.contains(call.getType().getSqlTypeName());
    }
    if (call.getKind() == SqlKind.LIKE) {
      // Not ILIKE or SIMILAR TO, and no ESCAPE clause differences to worry about.
      return call.getOperator().getName().equals("LIKE") && call.getOperands().size() == 2;
    }
    return KINDS.contains(call.getKind()) || FUNCTIONS.contains(call.getOperator().getName());
  }
}
