package io.peersql.query.peer;

import io.peersql.query.wire.WireType;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

import static java.util.Objects.requireNonNull;

/**
 * A sub-query as an owning peer receives it: SQL for its local store over global-schema tables,
 * the values of its {@code ?} parameters, the tables it reads, and who asks.
 *
 * @param queryId id of the distributed query it belongs to (for logs and cancellation)
 * @param sql SQL in the store's dialect, reading only global-schema tables
 * @param parameters one value per {@code ?} in {@code sql}, in order of appearance
 * @param tables global-schema names of the tables it reads
 * @param requester the business user and role on whose behalf it runs
 * @param keyFilter if present, the peer returns only the rows whose key column may hold one of
 *     the filter's keys (semi-join reduction by Bloom filter); null: every row
 */
public record SubQuery(String queryId, String sql, List<Parameter> parameters, List<String> tables,
    Requester requester, @Nullable KeySetFilter keyFilter) {

  /**
   * One parameter value as it travels: its type and its text ({@code null} for SQL NULL) in the
   * form {@link WireType#parse} reads.
   */
  public record Parameter(WireType type, String value) {
    /** Creates a Parameter. */
    public Parameter {
      requireNonNull(type, "type is null");
    }

    /** The value as the store's JDBC driver takes it, or null. */
    public Object toJava() {
      return value == null ? null : type.parse(value);
    }
  }

  /** Creates a SubQuery. */
  public SubQuery {
    requireNonNull(queryId, "queryId is null");
    requireNonNull(sql, "sql is null");
    parameters = parameters == null ? List.of() : List.copyOf(parameters);
    tables = List.copyOf(tables);
    requireNonNull(requester, "requester is null");
  }

  /** A SubQuery without a key filter. */
  public SubQuery(String queryId, String sql, List<Parameter> parameters, List<String> tables,
      Requester requester) {
    this(queryId, sql, parameters, tables, requester, null);
  }

  /** A SubQuery without parameters. */
  public SubQuery(String queryId, String sql, List<String> tables, Requester requester) {
    this(queryId, sql, List.of(), tables, requester);
  }

  /**
   * The same sub-query with other SQL, as an access policy rewrites it; the new SQL must keep the
   * parameters' {@code ?} in their order (wrapping the original as a derived table does).
   */
  public SubQuery withSql(String newSql) {
    return new SubQuery(queryId, newSql, parameters, tables, requester, keyFilter);
  }
}
