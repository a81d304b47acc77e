package io.peersql.query.peer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.peersql.query.wire.RowStreamWriter;
import io.peersql.query.wire.WireColumn;
import io.peersql.query.wire.WireType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The owning side of the peer-to-peer sub-query protocol, independent of any HTTP server: reads
 * one {@link SubQuery} (JSON) from the request, passes it through the {@link AccessPolicy}, runs
 * it on the local store and writes the rows as a row stream ({@link
 * io.peersql.query.wire.RowStreamFormat}) to the response.
 *
 * <p>The peer mounts it at {@link #PATH} (HTTP POST, response media type {@link
 * io.peersql.query.wire.RowStreamFormat#MEDIA_TYPE}, status 200 even for failures, which travel
 * in-band as an error frame naming this peer and the tables). When the requester goes away, the
 * next write fails; the store statement is then cancelled and the {@link IOException} rethrown.
 */
public final class PeerQueryService {

  /** Where peers POST sub-queries, relative to the peer's base address. */
  public static final String PATH = "/peer/query";

  private static final int BATCH_BYTES = 64 * 1024;
  private static final int FETCH_SIZE = 1000;

  private final String peerId;
  private final StoreConnections store;
  private final AccessPolicy policy;
  private final ObjectReader json = new ObjectMapper().readerFor(SubQuery.class);

  /** Creates a PeerQueryService of the given peer over its store, under the given policy. */
  public PeerQueryService(String peerId, StoreConnections store, AccessPolicy policy) {
    this.peerId = requireNonNull(peerId, "peerId is null");
    this.store = requireNonNull(store, "store is null");
    this.policy = requireNonNull(policy, "policy is null");
  }

  /** Answers one sub-query: reads the request, writes the row stream; does not close either. */
  public void execute(InputStream request, OutputStream response) throws IOException {
    var writer = new RowStreamWriter(response, BATCH_BYTES);
    SubQuery subQuery;
    try {
      subQuery = json.readValue(request);
    } catch (IOException | RuntimeException e) {
      writer.error(peerId, List.of(), "08P01", "Peer " + peerId + " received a malformed sub-query: " + e.getMessage());
      return;
    }
    var decision = policy.review(subQuery);
    switch (decision) {
      case AccessDecision.Refuse refuse -> writer.error(peerId, subQuery.tables(), "42501",
          "Peer " + peerId + " refused access to " + String.join(", ", subQuery.tables())
              + " for user " + subQuery.requester().user() + ": " + refuse.reason());
      case AccessDecision.Run run -> run(run.subQuery(), writer);
    }
  }

  private void run(SubQuery subQuery, RowStreamWriter writer) throws IOException {
    try (var connection = store.open(); var statement = connection.prepareStatement(subQuery.sql())) {
      statement.setFetchSize(FETCH_SIZE);
      ResultSet rows;
      try {
        bind(statement, subQuery.parameters());
        rows = statement.executeQuery();
      } catch (SQLException e) {
        writer.error(peerId, subQuery.tables(), e.getSQLState(), "Peer " + peerId + " failed on "
            + String.join(", ", subQuery.tables()) + ": " + e.getMessage());
        return;
      }
      stream(rows, statement, subQuery, writer);
    } catch (SQLException e) {
      writer.error(peerId, subQuery.tables(), e.getSQLState(), "Peer " + peerId + " failed on "
          + String.join(", ", subQuery.tables()) + ": " + e.getMessage());
    }
  }

  /**
   * Binds the sub-query's parameters. The SQL text of a prepared sub-query is the same for every
   * execution, so the store parses and plans it once per connection (H2's per-session command
   * cache, the PostgreSQL driver's server-side prepared statements). A count that does not match
   * the SQL's fails in the store's driver, and the error goes back to the requester.
   */
  private static void bind(PreparedStatement statement, List<SubQuery.Parameter> parameters) throws SQLException {
    for (int i = 0; i < parameters.size(); i++) {
      var parameter = parameters.get(i);
      var value = parameter.toJava();
      if (value == null) {
        statement.setNull(i + 1, parameter.type().jdbcType());
      } else {
        statement.setObject(i + 1, value);
      }
    }
  }

  private void stream(ResultSet rows, Statement statement, SubQuery subQuery, RowStreamWriter writer)
      throws IOException, SQLException {
    try (rows) {
      var meta = rows.getMetaData();
      int n = meta.getColumnCount();
      var columns = new ArrayList<WireColumn>(n);
      for (int i = 1; i <= n; i++) {
        columns.add(new WireColumn(meta.getColumnLabel(i), WireType.forJdbcType(meta.getColumnType(i))));
      }
      writer.header(columns);
      var values = new Object[n];
      while (rows.next()) {
        for (int i = 0; i < n; i++) {
          values[i] = read(rows, i + 1, columns.get(i).type());
        }
        try {
          writer.row(values);
        } catch (IOException e) {
          // The requester went away (cancelled, timed out or failed): stop the store's work.
          cancelQuietly(statement);
          throw e;
        }
      }
      writer.end();
    }
  }

  private static Object read(ResultSet rows, int column, WireType type) throws SQLException {
    Object value = switch (type) {
      case LONG -> rows.getLong(column);
      case DECIMAL -> rows.getBigDecimal(column);
      case DOUBLE -> rows.getDouble(column);
      case DATE -> rows.getObject(column, LocalDate.class);
      case TIMESTAMP -> rows.getObject(column, LocalDateTime.class);
      case STRING -> rows.getString(column);
      case BOOLEAN -> rows.getBoolean(column);
    };
    return rows.wasNull() ? null : value;
  }

  private static void cancelQuietly(Statement statement) {
    try {
      statement.cancel();
    } catch (SQLException ignored) {
      // The statement is closed next anyway.
    }
  }
}
