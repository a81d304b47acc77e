package io.peersql.baton;

import io.peersql.baton.core.BatonProtocol;
import io.peersql.baton.core.Effects;
import io.peersql.baton.core.Envelope;
import io.peersql.baton.core.Link;
import io.peersql.baton.core.Message.Entries;
import io.peersql.baton.core.Message.Failed;
import io.peersql.baton.core.Message.Get;
import io.peersql.baton.core.Message.Operation;
import io.peersql.baton.core.Message.Put;
import io.peersql.baton.core.Message.Remove;
import io.peersql.baton.core.Message.Result;
import io.peersql.baton.core.Message.Scan;
import io.peersql.baton.core.Message.Tick;
import io.peersql.baton.core.Message.Values;
import io.peersql.baton.core.NodeEvent;
import io.peersql.baton.core.NodeId;
import io.peersql.baton.core.NodeInfo;
import io.peersql.baton.core.NodeStats;
import io.peersql.baton.core.ProtocolConfig;
import io.peersql.baton.core.Side;
import io.peersql.baton.net.TcpTransport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One overlay node of a peer, running the BATON protocol over TCP: the facade the rest of
 * PeerSQL uses. The protocol state machine is confined to a single thread; every public
 * method may be called from any thread and returns at once with a future.
 *
 * <pre>{@code
 * try (var node = BatonNode.start("127.0.0.1", 0, 42)) {
 *   node.join(NodeId.parse("127.0.0.1:7000")).get();
 *   node.put(OrderedKey.of("orders", "o_orderkey", 1000L), ByteString.ofUtf8("peer-3")).get();
 *   List<IndexEntry> hits = node.scan(OrderedKey.of("orders", "o_orderkey", 0L),
 *       OrderedKey.of("orders", "o_orderkey", 5000L)).get();
 * }
 * }</pre>
 */
public final class BatonNode implements AutoCloseable {
  private final TcpTransport transport;
  private final BatonProtocol protocol;
  private final ScheduledExecutorService loop;
  private final Map<Long, CompletableFuture<Result>> operations = new HashMap<>();
  private final List<Consumer<NodeEvent>> listeners = new CopyOnWriteArrayList<>();
  private final long startNanos = System.nanoTime();
  private CompletableFuture<Void> joining;
  private CompletableFuture<Void> leaving;
  private long nextReqId = 1;

  private BatonNode(String host, int port, long seed, ProtocolConfig config, long tickMs)
      throws IOException {
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      var t = new Thread(r, "baton-node-" + host + ":" + port);
      t.setDaemon(true);
      return t;
    });
    this.transport = new TcpTransport(host, port, 1000, env -> {
      try {
        loop.execute(() -> apply(protocol().handle(now(), env)));
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        // the node is shutting down: late frames are dropped
      }
    });
    this.protocol = new BatonProtocol(transport.self(), config, new SplittableRandom(seed));
    loop.scheduleAtFixedRate(() -> apply(protocol.handle(now(),
        new Envelope(self(), self(), new Tick()))), tickMs, tickMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts a node listening on {@code host:port} (port 0: any free port) with network
   * timings; {@code seed} drives its random choices.
   */
  public static BatonNode start(String host, int port, long seed) throws IOException {
    return start(host, port, seed, ProtocolConfig.network(), 100);
  }

  /** Starts a node with explicit protocol settings and timer period. */
  public static BatonNode start(String host, int port, long seed, ProtocolConfig config,
      long tickMs) throws IOException {
    return new BatonNode(host, port, seed, config, tickMs);
  }

  private BatonProtocol protocol() {
    return protocol;
  }

  private long now() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** This node's identity: the address it listens on. */
  public NodeId id() {
    return transport.self();
  }

  private NodeId self() {
    return transport.self();
  }

  /** Makes this node the first node of a new overlay, owning the whole key space. */
  public CompletableFuture<Void> create() {
    return call(() -> {
      apply(protocol.startAsRoot(now()));
      return CompletableFuture.completedFuture(null);
    });
  }

  /** Joins the overlay through any of its nodes; completes when this node has a position. */
  public CompletableFuture<Void> join(NodeId accessPoint) {
    return call(() -> {
      joining = new CompletableFuture<>();
      var f = joining;
      apply(protocol.join(now(), accessPoint));
      return f;
    });
  }

  /** Leaves gracefully, handing range and entries over; completes when done. */
  public CompletableFuture<Void> leave() {
    return call(() -> {
      leaving = new CompletableFuture<>();
      var f = leaving;
      apply(protocol.leave(now()));
      return f;
    });
  }

  /** Adds one value under a key (several values per key are allowed). */
  public CompletableFuture<Void> put(OrderedKey key, ByteString value) {
    return submit(new Put(key, value)).thenApply(r -> null);
  }

  /** Removes one value from a key. */
  public CompletableFuture<Void> remove(OrderedKey key, ByteString value) {
    return submit(new Remove(key, value)).thenApply(r -> null);
  }

  /** All values stored under {@code key}. */
  public CompletableFuture<List<ByteString>> get(OrderedKey key) {
    return submit(new Get(key)).thenApply(r -> ((Values) r).values());
  }

  /** All entries with {@code low <= key <= high} in key order; a null high means no bound. */
  public CompletableFuture<List<IndexEntry>> scan(OrderedKey low, OrderedKey high) {
    return submit(new Scan(low, high)).thenApply(r -> ((Entries) r).entries());
  }

  private CompletableFuture<Result> submit(Operation op) {
    return call(() -> {
      long id = nextReqId++;
      var f = new CompletableFuture<Result>();
      operations.put(id, f);
      apply(protocol.submit(now(), id, op));
      return f;
    }).thenCompose(r -> r instanceof Failed failed
        ? CompletableFuture.failedFuture(new OverlayException(failed.reason()))
        : CompletableFuture.completedFuture(r));
  }

  /** Subscribes to this node's events (joined, neighbour changed, range changed, ...). */
  public void subscribe(Consumer<NodeEvent> listener) {
    listeners.add(listener);
  }

  /** Messages sent and forwarded by type. */
  public NodeStats stats() {
    return protocol.stats();
  }

  /** A consistent copy of this node's current links and range. */
  public CompletableFuture<Links> links() {
    return call(() -> {
      var rt = new ArrayList<NodeInfo>();
      for (Side s : Side.values()) {
        for (int i = 0; i < protocol.routingTableSize(s); i++) {
          if (protocol.routingEntry(s, i) != null) {
            rt.add(protocol.routingEntry(s, i));
          }
        }
      }
      return CompletableFuture.completedFuture(new Links(protocol.status().name(),
          protocol.position() == null ? null : protocol.position().toString(),
          protocol.range() == null ? null : protocol.range().toString(), protocol.parent(),
          protocol.leftChild(), protocol.rightChild(), protocol.leftAdjacent(),
          protocol.rightAdjacent(), List.copyOf(rt), protocol.entries().size()));
    });
  }

  /** Snapshot of a node's links, for monitoring. */
  public record Links(String status, String position, String range, Link parent,
      Link leftChild, Link rightChild, Link leftAdjacent, Link rightAdjacent,
      List<NodeInfo> routing, int entries) {}

  /** Stops the node at once (no graceful leave: call {@link #leave()} first for that). */
  @Override
  public void close() {
    transport.close();
    loop.shutdownNow();
    try {
      loop.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> CompletableFuture<T> call(java.util.function.Supplier<CompletableFuture<T>> task) {
    var result = new CompletableFuture<T>();
    try {
      loop.execute(() -> {
        try {
          task.get().whenComplete((v, e) -> {
            if (e != null) {
              result.completeExceptionally(e);
            } else {
              result.complete(v);
            }
          });
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      result.completeExceptionally(new OverlayException("node is closed"));
    }
    return result;
  }

  private void apply(Effects effects) {
    for (var env : effects.sends()) {
      transport.send(env);
    }
    for (var ev : effects.events()) {
      // listeners first, so that whoever waits on a future sees the events that led to it
      for (var l : listeners) {
        l.accept(ev);
      }
      switch (ev) {
        case NodeEvent.OperationCompleted c -> {
          var f = operations.remove(c.reqId());
          if (f != null) {
            f.complete(c.result());
          }
        }
        case NodeEvent.Joined j -> {
          if (joining != null) {
            joining.complete(null);
            joining = null;
          }
        }
        case NodeEvent.JoinAborted a -> {
          if (joining != null) {
            joining.completeExceptionally(new OverlayException("join failed: " + a.reason()));
            joining = null;
          }
        }
        case NodeEvent.Left l -> {
          if (leaving != null) {
            leaving.complete(null);
            leaving = null;
          }
        }
        default -> { }
      }
    }
  }

  /** An overlay operation failed (no route, node not active, no answer in time). */
  public static final class OverlayException extends RuntimeException {
    public OverlayException(String message) {
      super(message);
    }
  }
}
