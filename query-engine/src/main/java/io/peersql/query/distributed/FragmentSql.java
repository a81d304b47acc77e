package io.peersql.query.distributed;

import com.google.common.collect.ImmutableList;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Writes a per-peer fragment as SQL for a peer's store: Calcite's relational-to-SQL conversion,
 * with each distributed table named as the store knows it.
 */
final class FragmentSql {

  private FragmentSql() {
  }

  static String toSql(RelNode fragment, SqlDialect dialect) {
    var result = new StoreSqlConverter(dialect).visitRoot(fragment);
    return result.asStatement().toSqlString(dialect).getSql();
  }

  /** A relational-to-SQL converter that names distributed tables by their store names. */
  private static final class StoreSqlConverter extends RelToSqlConverter {
    StoreSqlConverter(SqlDialect dialect) {
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
  }
}
