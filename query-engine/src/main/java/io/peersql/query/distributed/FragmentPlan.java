package io.peersql.query.distributed;

import io.peersql.query.peer.SubQuery;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimestampString;

import static java.util.Objects.requireNonNull;

/**
 * What a {@link PeerQuery} does each time its statement executes, called from the code Calcite
 * generates: bind the statement's parameters into the fragment, resolve the peers to contact
 * (after range pruning), and read their answers through a {@link ParallelExchange}.
 * Public only because generated code calls it.
 */
public final class FragmentPlan {

  private final RelNode fragment;
  private final String sql;
  private final boolean hasParameters;
  private final PeerSelection selection;
  private final List<String> tables;
  private final RowConverter converter;
  private final QueryRuntime runtime;

  FragmentPlan(RelNode fragment, String sql, boolean hasParameters, PeerSelection selection,
      List<String> tables, RowConverter converter, QueryRuntime runtime) {
    this.fragment = requireNonNull(fragment, "fragment is null");
    this.sql = requireNonNull(sql, "sql is null");
    this.hasParameters = hasParameters;
    this.selection = requireNonNull(selection, "selection is null");
    this.tables = List.copyOf(tables);
    this.converter = requireNonNull(converter, "converter is null");
    this.runtime = requireNonNull(runtime, "runtime is null");
  }

  /** Starts the sub-queries of one execution; rows arrive as the enumerable is read. */
  public Enumerable<Object[]> execute(DataContext root) {
    var sqlToRun = sql;
    var peersToAsk = selection;
    if (hasParameters) {
      var binder = new ParameterBinder(root, fragment.getCluster().getRexBuilder());
      sqlToRun = FragmentSql.toSql(bind(fragment, binder), runtime.storeDialect());
      peersToAsk = selection.mapConditions(condition -> condition.accept(binder));
    }
    var peers = peersToAsk.resolve(runtime.locator());
    var subQuery = new SubQuery(UUID.randomUUID().toString(), sqlToRun, tables, runtime.requester());
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

    @Override
    public RexNode visitDynamicParam(RexDynamicParam param) {
      var value = root.get("?" + param.getIndex());
      if (value == null) {
        return rexBuilder.makeNullLiteral(param.getType());
      }
      return rexBuilder.makeLiteral(literalValue(value, param.getType().getSqlTypeName()),
          param.getType(), false);
    }

    private static Object literalValue(Object value, SqlTypeName type) {
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
