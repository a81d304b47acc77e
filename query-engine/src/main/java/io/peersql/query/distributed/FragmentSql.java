package io.peersql.query.distributed;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.sql.SqlDialect;

/** Writes a per-peer fragment as SQL for a peer's store. */
final class FragmentSql {

  private FragmentSql() {
  }

  static String toSql(RelNode fragment, SqlDialect dialect) {
    var result = new StoreSqlConverter(dialect).visitRoot(fragment);
    return result.asStatement().toSqlString(dialect).getSql();
  }
}
