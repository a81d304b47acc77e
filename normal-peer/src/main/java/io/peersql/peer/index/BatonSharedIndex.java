package io.peersql.peer.index;

import io.peersql.baton.BatonNode;
import io.peersql.baton.ByteString;
import io.peersql.baton.OrderedKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The {@link SharedIndex} of a running peer: the BATON overlay, reached through this peer's own
 * overlay node. Each call waits for the overlay's answer up to a timeout.
 */
public final class BatonSharedIndex implements SharedIndex {

  private final BatonNode node;
  private final Duration timeout;

  /** Creates a BatonSharedIndex over the peer's overlay node. */
  public BatonSharedIndex(BatonNode node, Duration timeout) {
    this.node = requireNonNull(node, "node is null");
    this.timeout = requireNonNull(timeout, "timeout is null");
  }

  static OrderedKey key(List<Object> components) {
    var builder = OrderedKey.builder();
    components.forEach(builder::add);
    return builder.build();
  }

  /** An overlay operation, started afresh on each attempt. */
  private interface Operation<T> {
    CompletableFuture<T> start();
  }

  /**
   * Waits for an operation, trying again a few times when the overlay had no answer: right after
   * a join, leave or failure the tree is still settling and a request may meet a stale link.
   */
  private <T> T await(Operation<T> operation) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return operation.start().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (attempt >= ATTEMPTS || !(e.getCause() instanceof BatonNode.OverlayException)) {
          throw e;
        }
        Thread.sleep(RETRY_PAUSE.toMillis() * attempt);
      }
    }
  }

  private static final int ATTEMPTS = 4;
  private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

  @Override
  public void put(List<Object> key, byte[] value) throws Exception {
    await(() -> node.put(key(key), ByteString.of(value)));
  }

  @Override
  public void remove(List<Object> key, byte[] value) throws Exception {
    await(() -> node.remove(key(key), ByteString.of(value)));
  }

  @Override
  public List<byte[]> scan(List<Object> low, List<Object> highPrefix) throws Exception {
    var end = key(highPrefix).prefixEnd();
    var values = new ArrayList<byte[]>();
    for (var entry : await(() -> node.scan(key(low), end))) {
      // The overlay's scan includes its upper bound; the prefix end itself is not a wanted key.
      if (end == null || entry.key().compareTo(end) < 0) {
        values.add(entry.value().toByteArray());
      }
    }
    return values;
  }
}
