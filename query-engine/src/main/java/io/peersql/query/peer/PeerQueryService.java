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
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.checkerframework.checker.nullness.qual.Nullable;

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
 *
 * <p>The peer's own engine reaches its store through {@link #open}: the same review and the same
 * statement, without an HTTP request to itself ({@link PeerQueryClient#preferLocal}).
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
  private final LongAdder served = new LongAdder();

  /** Creates a PeerQueryService of the given peer over its store, under the given policy. */
  public PeerQueryService(String peerId, StoreConnections store, AccessPolicy policy) {
    this.peerId = requireNonNull(peerId, "peerId is null");
    this.store = requireNonNull(store, "store is null");
    this.policy = requireNonNull(policy, "policy is null");
  }

  /** Answers one sub-query: reads the request, writes the row stream; does not close either. */
  public void execute(InputStream request, OutputStream response) throws IOException {
    served.increment();
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
      case AccessDecision.Refuse refuse -> writer.error(peerId, subQuery.tables(), "42501", refused(subQuery, refuse));
      case AccessDecision.Run run -> run(run.subQuery(), writer);
    }
  }

  /**
   * Answers a sub-query of this peer's own engine in-process: the same access review and store
   * statement as {@link #execute}, with the rows read straight from the store's result set (no
   * request to itself, no row-stream encoding). Failures throw {@link PeerQueryException} naming
   * this peer and the tables; closing the source before the end cancels the store statement.
   */
  public RowSource open(SubQuery subQuery) {
    served.increment();
    var decision = policy.review(subQuery);
    if (decision instanceof AccessDecision.Refuse refuse) {
      throw new PeerQueryException(peerId, subQuery.tables(), refused(subQuery, refuse), null);
    }
    var source = new LocalRowSource(((AccessDecision.Run) decision).subQuery());
    source.awaitColumns();
    return source;
  }

  /** How many sub-queries this peer has answered (over HTTP and in-process) since it started. */
  public long served() {
    return served.sum();
  }

  private String refused(SubQuery subQuery, AccessDecision.Refuse refuse) {
    return "Peer " + peerId + " refused access to " + String.join(", ", subQuery.tables())
        + " for user " + subQuery.requester().user() + ": " + refuse.reason();
  }

  private String failed(List<String> tables, SQLException e) {
    return "Peer " + peerId + " failed on " + String.join(", ", tables) + ": " + e.getMessage();
  }

  private void run(SubQuery subQuery, RowStreamWriter writer) throws IOException {
    KeySetFilter.Tester keys;
    try {
      keys = keyTest(subQuery);
    } catch (IllegalArgumentException e) {
      writer.error(peerId, subQuery.tables(), "08P01", "Peer " + peerId + " received a malformed key filter: " + e.getMessage());
      return;
    }
    try (var connection = store.open(); var statement = connection.prepareStatement(subQuery.sql())) {
      statement.setFetchSize(FETCH_SIZE);
      ResultSet rows;
      try {
        bind(statement, subQuery.parameters());
        rows = statement.executeQuery();
      } catch (SQLException e) {
        writer.error(peerId, subQuery.tables(), e.getSQLState(), failed(subQuery.tables(), e));
        return;
      }
      stream(rows, statement, subQuery, keys, writer);
    } catch (SQLException e) {
      writer.error(peerId, subQuery.tables(), e.getSQLState(), failed(subQuery.tables(), e));
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

  private void stream(ResultSet rows, Statement statement, SubQuery subQuery,
      KeySetFilter.@Nullable Tester keys, RowStreamWriter writer) throws IOException, SQLException {
    try (rows) {
      var columns = columns(rows);
      int n = columns.size();
      if (keys != null) {
        try {
          keys.requireColumns(n);
        } catch (IllegalArgumentException e) {
          writer.error(peerId, subQuery.tables(), "08P01", "Peer " + peerId + " received " + e.getMessage());
          return;
        }
      }
      writer.header(columns);
      var values = new Object[n];
      while (rows.next()) {
        for (int i = 0; i < n; i++) {
          values[i] = read(rows, i + 1, columns.get(i).type());
        }
        if (keys != null && !keys.passes(values)) {
          continue;
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

  /** The sub-query's key filter, decoded; null if it has none. */
  private static KeySetFilter.@Nullable Tester keyTest(SubQuery subQuery) {
    return subQuery.keyFilter() == null ? null : subQuery.keyFilter().tester();
  }

  private static List<WireColumn> columns(ResultSet rows) throws SQLException {
    var meta = rows.getMetaData();
    int n = meta.getColumnCount();
    var columns = new ArrayList<WireColumn>(n);
    for (int i = 1; i <= n; i++) {
      columns.add(new WireColumn(meta.getColumnLabel(i), WireType.forJdbcType(meta.getColumnType(i))));
    }
    return columns;
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

  /**
   * The rows of a sub-query answered in-process. The store statement runs on a thread of its own,
   * as it would behind the HTTP endpoint, and hands rows over in batches: the reading thread may
   * be interrupted (a cancelled or closed exchange does that) without the interrupt reaching the
   * store's driver, which may close its files or connection on one. Closing the source cancels
   * the store statement and lets that thread finish.
   */
  private final class LocalRowSource implements RowSource {
    private static final int BATCH_ROWS = 256;
    private static final Object END = new Object();

    private final SubQuery subQuery;
    private final BlockingQueue<Object> handed = new ArrayBlockingQueue<>(4);
    private volatile boolean closed;
    private volatile Statement running;
    private List<WireColumn> columns;
    private Iterator<Object[]> batch = Collections.emptyIterator();
    private boolean ended;

    LocalRowSource(SubQuery subQuery) {
      this.subQuery = subQuery;
      Thread.ofVirtual().name("subquery-" + peerId).start(this::produce);
    }

    /** Runs on the store's side: executes the statement and hands over columns, rows, then the end. */
    private void produce() {
      try (var connection = store.open(); var statement = connection.prepareStatement(subQuery.sql())) {
        running = statement;
        if (closed) {
          return;
        }
        statement.setFetchSize(FETCH_SIZE);
        bind(statement, subQuery.parameters());
        var keys = keyTest(subQuery);
        try (var rows = statement.executeQuery()) {
          var wire = PeerQueryService.columns(rows);
          if (keys != null) {
            keys.requireColumns(wire.size());
          }
          if (!hand(wire)) {
            return;
          }
          var rowsOut = new ArrayList<Object[]>(BATCH_ROWS);
          while (rows.next()) {
            var row = new Object[wire.size()];
            for (int i = 0; i < row.length; i++) {
              row[i] = read(rows, i + 1, wire.get(i).type());
            }
            if (keys != null && !keys.passes(row)) {
              continue;
            }
            rowsOut.add(row);
            if (rowsOut.size() == BATCH_ROWS) {
              if (!hand(rowsOut)) {
                return;
              }
              rowsOut = new ArrayList<>(BATCH_ROWS);
            }
          }
          if (!rowsOut.isEmpty() && !hand(rowsOut)) {
            return;
          }
          hand(END);
        }
      } catch (SQLException | RuntimeException e) {
        if (!closed) {
          var why = e instanceof SQLException sql ? failed(subQuery.tables(), sql)
              : "Peer " + peerId + " failed on " + String.join(", ", subQuery.tables()) + ": " + e;
          hand(new PeerQueryException(peerId, subQuery.tables(), why, e));
        }
      } finally {
        running = null;
      }
    }

    /** Hands one message to the reader; false when the reader has closed the source. */
    private boolean hand(Object message) {
      try {
        while (!closed) {
          if (handed.offer(message, 50, TimeUnit.MILLISECONDS)) {
            return true;
          }
        }
      } catch (InterruptedException e) {
        // Nobody interrupts this thread but the JVM's shutdown; stop like a closed reader.
        Thread.currentThread().interrupt();
      }
      return false;
    }

    private Object take() {
      Object message;
      try {
        message = handed.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new PeerQueryException(peerId, subQuery.tables(), "Sub-query on " + peerId + " for "
            + String.join(", ", subQuery.tables()) + " cancelled", e);
      }
      if (message instanceof PeerQueryException failure) {
        ended = true;
        throw failure;
      }
      return message;
    }

    @SuppressWarnings("unchecked")
    void awaitColumns() {
      columns = (List<WireColumn>) take();
    }

    @Override
    public List<WireColumn> columns() {
      return columns;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object[] next() {
      while (!batch.hasNext()) {
        if (ended) {
          return null;
        }
        var message = take();
        if (message == END) {
          ended = true;
          return null;
        }
        batch = ((List<Object[]>) message).iterator();
      }
      return batch.next();
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      var statement = running;
      if (statement != null && !ended) {
        cancelQuietly(statement);
      }
    }
  }
}
