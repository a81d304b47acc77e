package io.peersql.query.peer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peersql.query.wire.RowStreamReader;
import io.peersql.query.wire.WireColumn;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * A {@link PeerQueryClient} over HTTP: POSTs the sub-query as JSON to {@code address +
 * PeerQueryService.PATH} and reads the streamed row-stream response as it arrives. The wait for
 * the peer's first byte is bounded by the response timeout; interrupting the reading thread or
 * closing the {@link RowSource} aborts the exchange and the connection.
 */
public final class HttpPeerQueryClient implements PeerQueryClient {

  private final HttpClient http;
  private final Duration responseTimeout;
  private final ObjectMapper json = new ObjectMapper();

  /** Creates an HttpPeerQueryClient over the given HTTP client. */
  public HttpPeerQueryClient(HttpClient http, Duration responseTimeout) {
    this.http = requireNonNull(http, "http is null");
    this.responseTimeout = requireNonNull(responseTimeout, "responseTimeout is null");
  }

  /** Creates an HttpPeerQueryClient with its own HTTP/1.1 client and the given timeouts. */
  public static HttpPeerQueryClient create(Duration connectTimeout, Duration responseTimeout) {
    var http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .build();
    return new HttpPeerQueryClient(http, responseTimeout);
  }

  @Override
  public RowSource open(PeerRef peer, SubQuery subQuery) {
    byte[] body;
    try {
      body = json.writeValueAsBytes(subQuery);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode sub-query", e);
    }
    var request = HttpRequest.newBuilder(peer.address().resolve(PeerQueryService.PATH))
        .timeout(responseTimeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<InputStream> response;
    try {
      response = send(request);
    } catch (IOException e) {
      // A pooled connection the peer had already closed fails before the peer saw the request;
      // sub-queries only read, so sending once more on a fresh connection is safe.
      try {
        response = send(request);
      } catch (IOException again) {
        throw PeerQueryException.unanswered(peer, subQuery.tables(), describe(again), again);
      } catch (InterruptedException interrupted) {
        throw cancelled(peer, subQuery, interrupted);
      }
    } catch (InterruptedException e) {
      throw cancelled(peer, subQuery, e);
    }
    var stream = response.body();
    if (response.statusCode() != 200) {
      String text;
      try (stream) {
        text = new String(stream.readNBytes(2000), StandardCharsets.UTF_8);
      } catch (IOException e) {
        text = "";
      }
      throw PeerQueryException.unanswered(peer, subQuery.tables(),
          "HTTP " + response.statusCode() + " " + text, null);
    }
    var source = new HttpRowSource(peer, subQuery.tables(), stream);
    try {
      source.readHeader();
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
    return source;
  }

  private HttpResponse<InputStream> send(HttpRequest request) throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<InputStream>> pending =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
    try {
      return pending.get();
    } catch (InterruptedException e) {
      pending.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      var cause = e.getCause() == null ? e : e.getCause();
      throw cause instanceof IOException io ? io : new IOException(describe(cause), cause);
    }
  }

  private static PeerQueryException cancelled(PeerRef peer, SubQuery subQuery, InterruptedException e) {
    Thread.currentThread().interrupt();
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
    private final InputStream stream;
    private final RowStreamReader reader;
    private List<WireColumn> columns;

    HttpRowSource(PeerRef peer, List<String> tables, InputStream stream) {
      this.peer = peer;
      this.tables = tables;
      this.stream = stream;
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
        return reader.next();
      } catch (IOException e) {
        throw failure(e);
      }
    }

    private PeerQueryException failure(IOException e) {
      if (e instanceof RowStreamReader.RemoteFailure remote) {
        return new PeerQueryException(remote.peer(), tables, remote.getMessage(), remote);
      }
      var why = e instanceof java.io.EOFException
          ? "the answer was cut off (peer stopped or connection lost)"
          : describe(e);
      return PeerQueryException.unanswered(peer, tables, why, e);
    }

    @Override
    public void close() {
      try {
        stream.close();
      } catch (IOException ignored) {
        // Closing an unfinished response aborts its connection; nothing else to release.
      }
    }
  }
}
