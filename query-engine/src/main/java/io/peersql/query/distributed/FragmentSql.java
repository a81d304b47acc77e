package io.peersql.query.distributed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;

/** Writes a per-peer fragment as SQL for a peer's store. */
final class FragmentSql {

  /**
   * Field trimming leaves a projection under the filters pushed later, which would be written as
   * a derived table ({@code SELECT * FROM (SELECT a, b FROM t) WHERE a = ?}): the stores then
   * plan a view per execution. Filters are moved under projections first, giving {@code SELECT a,
   * b FROM t WHERE a = ?}.
   */
  private static final HepProgram FLATTEN = HepProgram.builder()
      .addRuleInstance(CoreRules.FILTER_PROJECT_TRANSPOSE)
      .addRuleInstance(CoreRules.FILTER_MERGE)
      .addRuleInstance(CoreRules.PROJECT_MERGE)
      .addRuleInstance(CoreRules.PROJECT_REMOVE)
      .build();

  /**
   * A fragment's SQL: the text, and for each {@code ?} in it, in order of appearance, the index of
   * the statement parameter it stands for and that parameter's type.
   */
  record Rendered(String sql, List<Integer> parameters, List<SqlTypeName> parameterTypes) {
    Rendered {
      parameters = List.copyOf(parameters);
      parameterTypes = List.copyOf(parameterTypes);
    }
  }

  private FragmentSql() {
  }

  static String toSql(RelNode fragment, SqlDialect dialect) {
    return render(fragment, dialect).sql();
  }

  static Rendered render(RelNode fragment, SqlDialect dialect) {
    var planner = new HepPlanner(FLATTEN);
    planner.setRoot(fragment);
    var types = new HashMap<Integer, RelDataType>();
    var flat = typeParameters(planner.findBestExp(), types);
    var sql = new StoreSqlConverter(dialect).visitRoot(flat).asStatement().toSqlString(dialect);
    var order = sql.getDynamicParameters() == null ? List.<Integer>of() : sql.getDynamicParameters();
    var orderTypes = new ArrayList<SqlTypeName>();
    for (int index : order) {
      orderTypes.add(types.get(index).getSqlTypeName());
    }
    return new Rendered(sql.getSql(), order, orderTypes);
  }

  /**
   * Records each parameter's type and writes non-text parameters as {@code CAST(? AS type)}, so
   * that a store can type a parameter inside an expression ({@code ? + 100}) as well.
   */
  private static RelNode typeParameters(RelNode node, Map<Integer, RelDataType> types) {
    var inputs = new ArrayList<RelNode>();
    for (var input : node.getInputs()) {
      inputs.add(typeParameters(input, types));
    }
    var rexBuilder = node.getCluster().getRexBuilder();
    return node.copy(node.getTraitSet(), inputs).accept(new RexShuttle() {
      @Override
      public RexNode visitDynamicParam(RexDynamicParam param) {
        types.put(param.getIndex(), param.getType());
        var family = param.getType().getSqlTypeName().getFamily();
        if (family == SqlTypeFamily.CHARACTER || family == null) {
          return param;
        }
        return rexBuilder.makeAbstractCast(param.getType(), param, false);
      }
    });
  }
}
