package io.peersql.query.peer;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A sub-query as an owning peer receives it: SQL for its local store over global-schema tables,
 * the tables it reads, and who asks.
 *
 * @param queryId id of the distributed query it belongs to (for logs and cancellation)
 * @param sql SQL in the store's dialect, reading only global-schema tables
 * @param tables global-schema names of the tables it reads
 * @param requester the business user and role on whose behalf it runs
 */
public record SubQuery(String queryId, String sql, List<String> tables, Requester requester) {

  /** Creates a SubQuery. */
  public SubQuery {
    requireNonNull(queryId, "queryId is null");
    requireNonNull(sql, "sql is null");
    tables = List.copyOf(tables);
    requireNonNull(requester, "requester is null");
  }

  /** The same sub-query with other SQL, as an access policy rewrites it. */
  public SubQuery withSql(String newSql) {
    return new SubQuery(queryId, newSql, tables, requester);
  }
}
