package io.peersql.baton.net;

import io.peersql.baton.core.Envelope;
import io.peersql.baton.core.Message.Undeliverable;
import io.peersql.baton.core.NodeId;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Carries envelopes between nodes over TCP with length-prefixed frames (see
 * {@link FrameCodec}). One outgoing connection per destination, opened on first use and
 * reused; incoming connections each get a reader thread. A message that cannot be written
 * (connection refused, reset, timeout) is handed back to the local node as
 * {@link Undeliverable}, which is how the protocol learns of failures. Plain JDK sockets.
 *
 * <p>Peers never write on a connection they accepted, so each outgoing connection also has
 * a watcher blocked on its input: end of stream means the peer closed it, and the connection
 * is dropped at once, so the next message to that peer reconnects and, if the peer is gone,
 * comes back as {@link Undeliverable} instead of vanishing into a dead socket's buffer.
 * {@link #close()} first writes out every message already queued (a node's last messages
 * before it stops are typically the hand-over of its range and links), then closes.
 */
public final class TcpTransport implements Closeable {
  private final ServerSocket server;
  private final NodeId self;
  private final Consumer<Envelope> inbound;
  private final Map<NodeId, Connection> outgoing = new ConcurrentHashMap<>();
  private final java.util.Set<Socket> accepted = ConcurrentHashMap.newKeySet();
  private final ExecutorService senders;
  private final ExecutorService readers;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final int connectTimeoutMs;
  /** How long {@link #close()} waits for queued messages to be written. */
  private static final long DRAIN_MS = 3000;

  /**
   * Creates a transport listening on {@code bindHost:port} (port 0 picks a free port); every
   * received envelope, and every undeliverable one, goes to {@code inbound}.
   */
  public TcpTransport(String bindHost, int port, int connectTimeoutMs, Consumer<Envelope> inbound)
      throws IOException {
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port));
    this.self = new NodeId(bindHost, server.getLocalPort());
    this.inbound = inbound;
    this.connectTimeoutMs = connectTimeoutMs;
    this.senders = Executors.newSingleThreadExecutor(r -> daemon(r, "baton-send-" + self));
    this.readers = Executors.newCachedThreadPool(r -> daemon(r, "baton-read-" + self));
    readers.execute(this::acceptLoop);
  }

  private static Thread daemon(Runnable r, String name) {
    var t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** The address this transport listens on: the node's identity. */
  public NodeId self() {
    return self;
  }

  /** Sends an envelope asynchronously; failures come back as {@link Undeliverable}. */
  public void send(Envelope env) {
    if (closed.get()) {
      return;
    }
    senders.execute(() -> {
      try {
        byte[] payload = FrameCodec.encode(env);
        var c = outgoing.computeIfAbsent(env.to(), this::connectQuietly);
        if (c == null) {
          throw new IOException("cannot connect to " + env.to());
        }
        try {
          c.write(payload);
        } catch (IOException e) {
          outgoing.remove(env.to(), c);
          c.close();
          // one reconnect: the peer may have restarted, or closed an idle connection
          var again = connect(env.to());
          outgoing.put(env.to(), again);
          again.write(payload);
        }
      } catch (IOException e) {
        outgoing.remove(env.to());
        if (!closed.get() && !(env.message() instanceof Undeliverable)) {
          inbound.accept(new Envelope(self, self, new Undeliverable(env.to(), env.message())));
        }
      }
    });
  }

  private Connection connectQuietly(NodeId to) {
    try {
      return connect(to);
    } catch (IOException e) {
      return null;
    }
  }

  private Connection connect(NodeId to) throws IOException {
    var s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(new InetSocketAddress(to.host(), to.port()), connectTimeoutMs);
    s.setSoTimeout(0);
    var c = new Connection(s);
    readers.execute(() -> watch(to, c));
    return c;
  }

  /** Blocks on an outgoing connection's input until the peer closes it, then drops it. */
  private void watch(NodeId to, Connection c) {
    try {
      var in = c.socket.getInputStream();
      while (in.read() >= 0) {
        // peers send nothing back on this connection; ignore stray bytes
      }
    } catch (IOException e) {
      // reset or closed locally: either way the connection is finished
    }
    outgoing.remove(to, c);
    c.close();
  }

  private void acceptLoop() {
    while (!closed.get()) {
      try {
        Socket s = server.accept();
        s.setTcpNoDelay(true);
        accepted.add(s);
        readers.execute(() -> readLoop(s));
      } catch (IOException e) {
        if (!closed.get()) {
          continue;
        }
        return;
      }
    }
  }

  private void readLoop(Socket s) {
    try (s; var in = new DataInputStream(new BufferedInputStream(s.getInputStream()))) {
      while (!closed.get()) {
        byte[] frame = FrameCodec.readFrame(in);
        if (frame == null) {
          return;
        }
        inbound.accept(FrameCodec.decode(frame));
      }
    } catch (IOException e) {
      // connection dropped or bad frame: the sender will reconnect if it needs to
    } finally {
      accepted.remove(s);
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    senders.shutdown();
    try {
      senders.awaitTermination(DRAIN_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    outgoing.values().forEach(Connection::close);
    for (var s : accepted) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    outgoing.clear();
    senders.shutdownNow();
    readers.shutdownNow();
  }

  private static final class Connection {
    private final Socket socket;
    private final DataOutputStream out;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    }

    void write(byte[] payload) throws IOException {
      FrameCodec.writeFrame(out, payload);
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // already broken
      }
    }
  }
}
