package io.peersql.query.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.peersql.query.LocalStore;
import io.peersql.query.peer.AccessPolicy;
import io.peersql.query.peer.PeerQueryService;
import io.peersql.query.peer.PeerRef;
import io.peersql.query.peer.SubQuery;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One peer for tests: an H2 store with a TPC-H slice, served by a real HTTP server on loopback
 * running {@link PeerQueryService}. Counts and records the sub-queries it receives, and can be
 * made to stall mid-answer or be stopped, to test failures and cancellation.
 */
public final class TestPeer implements AutoCloseable {

  private final String id;
  private final LocalStore store;
  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final ObjectMapper json = new ObjectMapper();
  private final List<SubQuery> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger aborted = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private volatile CountDownLatch stall;
  private volatile AccessPolicy policy = AccessPolicy.ALLOW_ALL;

  /** Creates and starts a TestPeer over the given store. */
  public TestPeer(String id, String storeUrl) throws IOException {
    this.id = id;
    this.store = new LocalStore(storeUrl, "sa", "", "PUBLIC");
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(handlers);
    server.createContext(PeerQueryService.PATH, exchange -> {
      var body = exchange.getRequestBody().readAllBytes();
      received.add(json.readValue(body, SubQuery.class));
      exchange.getResponseHeaders().add("Content-Type", "application/x-peersql-rows");
      exchange.sendResponseHeaders(200, 0);
      var service = new PeerQueryService(id, store::connect, policy);
      try (var out = new StallingStream(exchange.getResponseBody())) {
        service.execute(new ByteArrayInputStream(body), out);
        completed.incrementAndGet();
      } catch (IOException e) {
        aborted.incrementAndGet();
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  public String id() {
    return id;
  }

  public LocalStore store() {
    return store;
  }

  public PeerRef ref() {
    return new PeerRef(id, URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
  }

  /** Sub-queries received so far. */
  public List<SubQuery> received() {
    return received;
  }

  /** Answers cut short because the requester went away. */
  public int aborted() {
    return aborted.get();
  }

  public void policy(AccessPolicy newPolicy) {
    this.policy = newPolicy;
  }

  /** From now on, answers block at their first flushed batch until {@link #release()}. */
  public void stall() {
    stall = new CountDownLatch(1);
  }

  /** Lets stalled answers go on. */
  public void release() {
    var latch = stall;
    stall = null;
    if (latch != null) {
      latch.countDown();
    }
  }

  /** Stops the HTTP server at once, closing open connections (the peer "dies"). */
  public void kill() {
    server.stop(0);
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    handlers.shutdownNow();
  }

  /** An output stream that blocks at its first flush while the peer is stalled. */
  private final class StallingStream extends FilterOutputStream {
    private boolean flushed;

    StallingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
      var latch = stall;
      if (!flushed && latch != null) {
        flushed = true;
        try {
          latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
  }
}
