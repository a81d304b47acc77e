package io.peersql.query.peer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.peersql.query.wire.RowStreamReader;
import io.peersql.query.wire.WireColumn;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A {@link PeerQueryClient} over HTTP/1.1: POSTs the sub-query as JSON to {@code address +
 * PeerQueryService.PATH} and reads the streamed row-stream response as it arrives.
 *
 * <p>Each sub-query is read by its own (virtual) thread, so the client is a blocking one: the
 * JDK's {@link HttpURLConnection}, whose connections to a peer are kept alive and reused. (The
 * asynchronous {@code java.net.http.HttpClient} cost a selector thread, several hand-offs and a
 * body queue per sub-query, a fifth of a requesting peer's CPU on point queries.) Waiting for the
 * peer's first byte, and any later pause of the stream, is bounded by the response timeout.
 * Interrupting the reading thread (a virtual thread's socket operations are interruptible) or
 * closing the {@link RowSource} before the end drops the connection, which stops the peer at
 * its next write.
 */
public final class HttpPeerQueryClient implements PeerQueryClient {

  /**
   * Idle connections kept per peer ({@code http.maxConnections}, JDK default 5): a requesting
   * peer serving many business users at once talks to each owner over as many connections, and
   * every connection not kept costs a TCP handshake and a new server-side connection.
   */
  static final int KEEP_ALIVE_CONNECTIONS = 64;

  static {
    keepConnectionsAlive();
  }

  /**
   * Raises the JDK's limit of idle HTTP connections kept per destination to {@value
   * #KEEP_ALIVE_CONNECTIONS}, unless {@code http.maxConnections} is set. The JDK reads it once,
   * when the first HTTP connection of the process is made: a peer calls this first thing in main.
   */
  public static void keepConnectionsAlive() {
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", Integer.toString(KEEP_ALIVE_CONNECTIONS));
    }
  }

  private final int connectTimeoutMillis;
  private final int responseTimeoutMillis;
  private final ObjectWriter json = new ObjectMapper().writerFor(SubQuery.class);

  private HttpPeerQueryClient(Duration connectTimeout, Duration responseTimeout) {
    this.connectTimeoutMillis = Math.toIntExact(requireNonNull(connectTimeout, "connectTimeout is null").toMillis());
    this.responseTimeoutMillis = Math.toIntExact(requireNonNull(responseTimeout, "responseTimeout is null").toMillis());
  }

  /** Creates an HttpPeerQueryClient with the given timeouts. */
  public static HttpPeerQueryClient create(Duration connectTimeout, Duration responseTimeout) {
    return new HttpPeerQueryClient(connectTimeout, responseTimeout);
  }

  @Override
  public RowSource open(PeerRef peer, SubQuery subQuery) {
    byte[] body;
    try {
      body = json.writeValueAsBytes(subQuery);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode sub-query", e);
    }
    HttpURLConnection connection;
    try {
      connection = post(peer, body);
    } catch (RefusedStatus e) {
      throw PeerQueryException.unanswered(peer, subQuery.tables(), e.getMessage(), e);
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw cancelled(peer, subQuery, e);
      }
      // A kept-alive connection the peer had already closed fails before the peer saw the
      // request; sub-queries only read, so sending once more on a fresh connection is safe.
      try {
        connection = post(peer, body);
      } catch (IOException again) {
        if (Thread.currentThread().isInterrupted()) {
          throw cancelled(peer, subQuery, again);
        }
        throw PeerQueryException.unanswered(peer, subQuery.tables(), describe(again), again);
      }
    }
    var source = new HttpRowSource(peer, subQuery.tables(), connection);
    try {
      source.readHeader();
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
    return source;
  }

  /** Sends the request and waits for the response's status; a status other than 200 fails. */
  private HttpURLConnection post(PeerRef peer, byte[] body) throws IOException {
    URL url = peer.address().resolve(PeerQueryService.PATH).toURL();
    var connection = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
    connection.setConnectTimeout(connectTimeoutMillis);
    connection.setReadTimeout(responseTimeoutMillis);
    connection.setUseCaches(false);
    connection.setDoOutput(true);
    connection.setRequestMethod("POST");
    connection.setRequestProperty("Content-Type", "application/json");
    connection.setFixedLengthStreamingMode(body.length);
    try (var out = connection.getOutputStream()) {
      out.write(body);
    }
    int status;
    try {
      status = connection.getResponseCode();
    } catch (IOException e) {
      connection.disconnect();
      throw e;
    }
    if (status != 200) {
      String text;
      try (var error = connection.getErrorStream()) {
        text = error == null ? "" : new String(error.readNBytes(2000), StandardCharsets.UTF_8);
      } catch (IOException e) {
        text = "";
      }
      connection.disconnect();
      throw new RefusedStatus("HTTP " + status + " " + text);
    }
    return connection;
  }

  /** The peer answered, but not with a row stream: not worth sending again. */
  private static final class RefusedStatus extends IOException {
    RefusedStatus(String message) {
      super(message);
    }
  }

  private static PeerQueryException cancelled(PeerRef peer, SubQuery subQuery, IOException e) {
    return PeerQueryException.unanswered(peer, subQuery.tables(), "cancelled", e);
  }

  private static String describe(Throwable e) {
    var message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  /** The rows of one HTTP response. */
  private static final class HttpRowSource implements RowSource {
    private final PeerRef peer;
    private final List<String> tables;
    private final HttpURLConnection connection;
    private final InputStream stream;
    private final RowStreamReader reader;
    private List<WireColumn> columns;
    private boolean ended;

    HttpRowSource(PeerRef peer, List<String> tables, HttpURLConnection connection) {
      this.peer = peer;
      this.tables = tables;
      this.connection = connection;
      try {
        this.stream = connection.getInputStream();
      } catch (IOException e) {
        connection.disconnect();
        throw PeerQueryException.unanswered(peer, tables, describe(e), e);
      }
      this.reader = new RowStreamReader(stream);
    }

    void readHeader() {
      try {
        columns = reader.columns();
      } catch (IOException e) {
        throw failure(e);
      }
    }

    @Override
    public List<WireColumn> columns() {
      return columns;
    }

    @Override
    public Object[] next() {
      try {
        var row = reader.next();
        if (row == null) {
          ended = true;
        }
        return row;
      } catch (IOException e) {
        throw failure(e);
      }
    }

    private PeerQueryException failure(IOException e) {
      if (e instanceof RowStreamReader.RemoteFailure remote) {
        return new PeerQueryException(remote.peer(), tables, remote.getMessage(), remote);
      }
      if (Thread.currentThread().isInterrupted()) {
        return PeerQueryException.unanswered(peer, tables, "cancelled", e);
      }
      var why = e instanceof java.io.EOFException
          ? "the answer was cut off (peer stopped or connection lost)"
          : describe(e);
      return PeerQueryException.unanswered(peer, tables, why, e);
    }

    @Override
    public void close() {
      if (!ended) {
        // Unread rows: drop the connection rather than read them to keep it.
        connection.disconnect();
        return;
      }
      try {
        stream.close();
      } catch (IOException ignored) {
        // The connection is not reused then; nothing else to release.
      }
    }
  }
}
