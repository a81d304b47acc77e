package io.peersql.peer.query;

import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.dialect.H2SqlDialect;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;

/**
 * The SQL dialect in which the query engine writes sub-queries for a peer's store. The engine
 * names tables and columns in upper case (as H2 folds unquoted names) and quotes them; a
 * PostgreSQL store holds them in lower case (its folding), so its dialect quotes lower case.
 */
final class StoreDialects {

  private StoreDialects() {
  }

  /** The dialect of the store behind {@code store}, read from its JDBC metadata. */
  static SqlDialect of(DataSource store) throws SQLException {
    String product;
    try (var connection = store.getConnection()) {
      product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    }
    return product.contains("postgres") ? LowerCasePostgresqlDialect.INSTANCE : H2SqlDialect.DEFAULT;
  }

  /** PostgreSQL, with every identifier quoted in lower case. */
  static final class LowerCasePostgresqlDialect extends PostgresqlSqlDialect {

    static final SqlDialect INSTANCE = new LowerCasePostgresqlDialect();

    private LowerCasePostgresqlDialect() {
      super(PostgresqlSqlDialect.DEFAULT_CONTEXT);
    }

    @Override
    public StringBuilder quoteIdentifier(StringBuilder buf, String val) {
      return super.quoteIdentifier(buf, val.toLowerCase(Locale.ROOT));
    }
  }
}
