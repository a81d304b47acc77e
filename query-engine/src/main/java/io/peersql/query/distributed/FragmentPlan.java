package io.peersql.query.distributed;

import io.peersql.query.peer.KeySetFilter;
import io.peersql.query.peer.SubQuery;
import io.peersql.query.wire.WireType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimestampString;
import org.checkerframework.checker.nullness.qual.Nullable;

import static java.util.Objects.requireNonNull;

/**
 * What a {@link PeerQuery} does each time its statement executes, called from the code Calcite
 * generates: bind the statement's parameters into the fragment, resolve the peers to contact
 * (after range pruning), and read their answers through a {@link ParallelExchange}.
 * Public only because generated code calls it.
 */
public final class FragmentPlan {

  private final RelNode fragment;
  private final FragmentSql.Rendered rendered;
  private final boolean hasParameters;
  private final PeerSelection selection;
  private final List<String> tables;
  private final RowConverter converter;
  private final QueryRuntime runtime;
  private final EnumerablePeerQuery.@Nullable KeyFilter keyFilter;

  FragmentPlan(RelNode fragment, FragmentSql.Rendered rendered, boolean hasParameters, PeerSelection selection,
      List<String> tables, RowConverter converter, QueryRuntime runtime,
      EnumerablePeerQuery.@Nullable KeyFilter keyFilter) {
    this.fragment = requireNonNull(fragment, "fragment is null");
    this.rendered = requireNonNull(rendered, "rendered is null");
    this.hasParameters = hasParameters;
    this.selection = requireNonNull(selection, "selection is null");
    this.tables = List.copyOf(tables);
    this.converter = requireNonNull(converter, "converter is null");
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.keyFilter = keyFilter;
  }

  /** Starts the sub-queries of one execution; rows arrive as the enumerable is read. */
  public Enumerable<Object[]> execute(DataContext root) {
    var filter = keyFilter;
    if (filter == null) {
      return start(root, null, null);
    }
    // The keys exist only once the join's other input has been read: start on first use.
    return new AbstractEnumerable<>() {
      private @Nullable ParallelExchange exchange;

      @Override
      public Enumerator<Object[]> enumerator() {
        if (exchange == null) {
          int inList = runtime.settings().inListKeys();
          var keys = filter.channel().keys(root, inList);
          var bloom = keys == null ? filter.channel().filter(root, filter.field(), inList) : null;
          exchange = start(root, keys, bloom);
        }
        return exchange.enumerator();
      }
    };
  }

  /**
   * Starts one execution's sub-queries: narrowed to {@code keys} by an IN list (and to the peers
   * whose ranges hold them) when there are few enough, else by {@code keyFilter}, which the peers
   * apply to their rows.
   */
  private ParallelExchange start(DataContext root, @Nullable List<Object> keys,
      @Nullable KeySetFilter keyFilter) {
    // Executions of one plan may run at once (a statement reused from the plan cache, a prepared
    // statement shared by threads); rewriting a fragment uses its cluster's metadata caches.
    Execution execution;
    synchronized (fragment.getCluster()) {
      execution = prepare(root, keys);
    }
    var peers = execution.peers().resolve(runtime.locator());
    var subQuery = new SubQuery(UUID.randomUUID().toString(), execution.sql(), execution.parameters(), tables,
        runtime.requester(), keyFilter);
    var cancelFlag = root.get(DataContext.Variable.CANCEL_FLAG.camelName) instanceof AtomicBoolean flag
        ? flag : new AtomicBoolean();
    long timeoutMillis = runtime.settings().queryTimeout().toMillis();
    if (root.get(DataContext.Variable.TIMEOUT.camelName) instanceof Long statementTimeout
        && statementTimeout > 0) {
      timeoutMillis = Math.min(timeoutMillis, statementTimeout);
    }
    return new ParallelExchange(peers, subQuery, converter, runtime, cancelFlag,
        System.nanoTime() + timeoutMillis * 1_000_000L);
  }

  /** What one execution sends: the SQL, its parameter values, and the peers that may hold rows. */
  private record Execution(String sql, List<SubQuery.Parameter> parameters, PeerSelection peers) {
  }

  private Execution prepare(DataContext root, @Nullable List<Object> keys) {
    var fragmentToRun = fragment;
    var peersToAsk = selection;
    boolean rewritten = false;
    List<SubQuery.Parameter> parameters = List.of();
    if (hasParameters) {
      var binder = new ParameterBinder(root, fragment.getCluster().getRexBuilder());
      peersToAsk = selection.mapConditions(condition -> condition.accept(binder));
      // The SQL written at plan time travels with the values; only a fragment that key
      // filtering rewrites, or a parameter of a type the wire does not carry, is written anew.
      var sent = keys == null ? wireParameters(root) : null;
      if (sent != null) {
        parameters = sent;
      } else {
        fragmentToRun = bind(fragment, binder);
        rewritten = true;
      }
    }
    if (keys != null && keyFilter != null) {
      var condition = keyCondition(fragmentToRun, keyFilter.field(), keys);
      peersToAsk = PeerQuery.narrow(fragmentToRun, peersToAsk, condition);
      fragmentToRun = KeyFilters.apply(fragmentToRun, keyFilter.field(), condition);
      rewritten = true;
    }
    var sqlToRun = rewritten ? FragmentSql.toSql(fragmentToRun, runtime.storeDialect()) : rendered.sql();
    return new Execution(sqlToRun, parameters, peersToAsk);
  }

  /**
   * The bound values of the parameters in the order the rendered SQL uses them, or null when one
   * of them has a type that does not travel as a parameter.
   */
  private @Nullable List<SubQuery.Parameter> wireParameters(DataContext root) {
    var values = new ArrayList<SubQuery.Parameter>(rendered.parameters().size());
    for (int i = 0; i < rendered.parameters().size(); i++) {
      var parameter = wireParameter(root.get("?" + rendered.parameters().get(i)), rendered.parameterTypes().get(i));
      if (parameter == null) {
        return null;
      }
      values.add(parameter);
    }
    return values;
  }

  /** One value, from the form Calcite hands to generated code, as it travels; null if it cannot. */
  static SubQuery.@Nullable Parameter wireParameter(@Nullable Object value, SqlTypeName type) {
    var wireType = switch (type) {
      case TINYINT, SMALLINT, INTEGER, BIGINT -> WireType.LONG;
      case DECIMAL -> WireType.DECIMAL;
      case FLOAT, REAL, DOUBLE -> WireType.DOUBLE;
      case DATE -> WireType.DATE;
      case TIMESTAMP -> WireType.TIMESTAMP;
      case CHAR, VARCHAR -> WireType.STRING;
      case BOOLEAN -> WireType.BOOLEAN;
      default -> null;
    };
    if (wireType == null) {
      return null;
    }
    if (value == null) {
      return new SubQuery.Parameter(wireType, null);
    }
    String text = switch (wireType) {
      case LONG -> value instanceof Long || value instanceof Integer || value instanceof Short
          || value instanceof Byte ? value.toString() : null;
      case DECIMAL -> switch (value) {
        case BigDecimal d -> d.toPlainString();
        case Long l -> l.toString();
        case Integer i -> i.toString();
        case Double d -> BigDecimal.valueOf(d).toPlainString();
        default -> null;
      };
      case DOUBLE -> value instanceof Number n ? Double.toString(n.doubleValue()) : null;
      case DATE -> switch (value) {
        case Integer days -> LocalDate.ofEpochDay(days).toString();
        case java.sql.Date date -> date.toLocalDate().toString();
        case LocalDate date -> date.toString();
        default -> null;
      };
      case TIMESTAMP -> switch (value) {
        case Long millis -> LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000L),
            (int) Math.floorMod(millis, 1000L) * 1_000_000, ZoneOffset.UTC).toString();
        case java.sql.Timestamp timestamp -> timestamp.toLocalDateTime().toString();
        case LocalDateTime timestamp -> timestamp.toString();
        default -> null;
      };
      case STRING -> value instanceof String string ? string : null;
      case BOOLEAN -> value instanceof Boolean bool ? bool.toString() : null;
    };
    return text == null ? null : new SubQuery.Parameter(wireType, text);
  }

  /**
   * {@code field IN (keys)} over the fragment's output, or FALSE when there are no keys. The keys
   * are literals of the field's type without its nullability: a literal made for a nullable type
   * is a CAST, and an IN over CASTs is an OR of equalities, which PostgreSQL tests one by one for
   * every row (Q5 at SF 1: 2,000 supplier keys made a 0.4 s fragment take 10 s) where a list of
   * literals is hashed.
   */
  static RexNode keyCondition(RelNode fragment, int field, List<Object> keys) {
    var rexBuilder = fragment.getCluster().getRexBuilder();
    if (keys.isEmpty()) {
      return rexBuilder.makeLiteral(false);
    }
    var type = rexBuilder.getTypeFactory().createTypeWithNullability(
        fragment.getRowType().getFieldList().get(field).getType(), false);
    var literals = new ArrayList<RexNode>();
    for (var key : keys) {
      literals.add(rexBuilder.makeLiteral(ParameterBinder.literalValue(key, type.getSqlTypeName()),
          type, true));
    }
    return rexBuilder.makeIn(rexBuilder.makeInputRef(fragment, field), literals);
  }

  /** {@link #execute} for a one-field fragment, whose rows Calcite reads as plain values. */
  public Enumerable<Object> executeScalar(DataContext root) {
    return execute(root).select(row -> row[0]);
  }

  private static RelNode bind(RelNode node, RexShuttle binder) {
    var inputs = new ArrayList<RelNode>();
    for (var input : node.getInputs()) {
      inputs.add(bind(input, binder));
    }
    return node.copy(node.getTraitSet(), inputs).accept(binder);
  }

  /** Replaces each parameter by a literal of its bound value. */
  private static final class ParameterBinder extends RexShuttle {
    private final DataContext root;
    private final RexBuilder rexBuilder;

    ParameterBinder(DataContext root, RexBuilder rexBuilder) {
      this.root = root;
      this.rexBuilder = rexBuilder;
    }

    /**
     * Folds integer arithmetic over literals once parameters are bound ({@code ? + 100}), so that
     * range pruning sees a bound it can use; anything else is left as it is.
     */
    @Override
    public RexNode visitCall(RexCall call) {
      var bound = super.visitCall(call);
      if (!(bound instanceof RexCall folded) || folded.operands.size() != 2
          || !(folded.getKind() == SqlKind.PLUS || folded.getKind() == SqlKind.MINUS)
          || !isWholeNumber(folded.getType().getSqlTypeName())) {
        return bound;
      }
      var left = wholeNumber(RexUtil.removeCast(folded.operands.get(0)));
      var right = wholeNumber(RexUtil.removeCast(folded.operands.get(1)));
      if (left == null || right == null) {
        return bound;
      }
      var result = folded.getKind() == SqlKind.PLUS ? left.add(right) : left.subtract(right);
      if (result.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0
          || result.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0) {
        return bound;
      }
      return rexBuilder.makeExactLiteral(result, folded.getType());
    }

    private static boolean isWholeNumber(SqlTypeName type) {
      return type == SqlTypeName.BIGINT || type == SqlTypeName.INTEGER || type == SqlTypeName.SMALLINT;
    }

    private static BigDecimal wholeNumber(RexNode node) {
      if (node instanceof RexLiteral literal && isWholeNumber(literal.getType().getSqlTypeName())
          || node instanceof RexLiteral decimal && decimal.getType().getSqlTypeName() == SqlTypeName.DECIMAL
              && decimal.getType().getScale() == 0) {
        return ((RexLiteral) node).getValueAs(BigDecimal.class);
      }
      return null;
    }

    @Override
    public RexNode visitDynamicParam(RexDynamicParam param) {
      var value = root.get("?" + param.getIndex());
      if (value == null) {
        return rexBuilder.makeNullLiteral(param.getType());
      }
      return rexBuilder.makeLiteral(literalValue(value, param.getType().getSqlTypeName()),
          param.getType(), false);
    }

    static Object literalValue(Object value, SqlTypeName type) {
      if (type == SqlTypeName.DATE && value instanceof Integer days) {
        return DateString.fromDaysSinceEpoch(days);
      }
      if (type == SqlTypeName.TIMESTAMP && value instanceof Long millis) {
        return TimestampString.fromMillisSinceEpoch(millis);
      }
      return switch (value) {
        case java.sql.Date date -> new DateString(date.toLocalDate().toString());
        case LocalDate date -> new DateString(date.toString());
        case java.sql.Timestamp timestamp -> new TimestampString(
            timestamp.toLocalDateTime().toString().replace('T', ' '));
        case LocalDateTime timestamp -> new TimestampString(timestamp.toString().replace('T', ' '));
        case Integer i -> BigDecimal.valueOf(i);
        case Long l -> BigDecimal.valueOf(l);
        case Double d -> BigDecimal.valueOf(d);
        default -> value;
      };
    }
  }
}
