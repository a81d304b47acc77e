package io.peersql.query.distributed;

import com.google.common.collect.ImmutableList;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Calcite's relational-to-SQL conversion, naming each distributed table as the peers' stores know
 * it. Public only because Calcite dispatches its {@code visit} methods by reflection.
 */
public final class StoreSqlConverter extends RelToSqlConverter {

  /** Creates a StoreSqlConverter for the stores' dialect. */
  public StoreSqlConverter(SqlDialect dialect) {
    super(dialect);
  }

  @Override
  public Result visit(TableScan e) {
    var table = e.getTable().unwrap(DistributedTable.class);
    if (table == null) {
      return super.visit(e);
    }
    return result(new SqlIdentifier(table.storeName(), SqlParserPos.ZERO),
        ImmutableList.of(Clause.FROM), e, null);
  }

  /**
   * Calcite 1.42 aliases a semi- or anti-join's left input twice when it is a sub-query
   * ({@code (SELECT ..) AS t AS t0}); keeps the outer alias, which the condition refers to.
   */
  @Override
  protected Result visitAntiOrSemiJoin(Join e) {
    var result = super.visitAntiOrSemiJoin(e);
    var select = result.asSelect();
    if (select.getFrom() instanceof SqlCall outer && outer.getKind() == SqlKind.AS
        && outer.operand(0) instanceof SqlCall inner && inner.getKind() == SqlKind.AS) {
      select.setFrom(SqlStdOperatorTable.AS.createCall(SqlParserPos.ZERO, inner.operand(0),
          outer.operand(1)));
    }
    return result;
  }
}
