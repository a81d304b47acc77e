package io.peersql.peer.index;

import io.peersql.baton.BatonNode;
import io.peersql.baton.ByteString;
import io.peersql.baton.OrderedKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  @Override
  public void put(List<Object> key, byte[] value) throws Exception {
    node.put(key(key), ByteString.of(value)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void remove(List<Object> key, byte[] value) throws Exception {
    node.remove(key(key), ByteString.of(value)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public List<byte[]> scan(List<Object> low, List<Object> highPrefix) throws Exception {
    var end = key(highPrefix).prefixEnd();
    var values = new ArrayList<byte[]>();
    for (var entry : node.scan(key(low), end).get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      // The overlay's scan includes its upper bound; the prefix end itself is not a wanted key.
      if (end == null || entry.key().compareTo(end) < 0) {
        values.add(entry.value().toByteArray());
      }
    }
    return values;
  }
}
