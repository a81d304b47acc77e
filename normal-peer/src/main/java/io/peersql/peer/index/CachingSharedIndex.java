package io.peersql.peer.index;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * A {@link SharedIndex} that remembers scan results for a short time, so that the query engine's
 * lookups (which peers hold a table, which overlap a range) do not walk the overlay on every
 * query. Other peers' publications therefore become visible up to {@code ttl} later; this peer's
 * own writes clear the cache at once. A zero ttl turns caching off.
 */
public final class CachingSharedIndex implements SharedIndex {

  private record Scan(List<Object> low, List<Object> highPrefix) {
  }

  private record Cached(long expiresAtNanos, List<byte[]> values) {
  }

  private final SharedIndex index;
  private final long ttlNanos;
  private final LongSupplier clock;
  private final ConcurrentHashMap<Scan, Cached> cache = new ConcurrentHashMap<>();

  /** Creates a CachingSharedIndex over {@code index}, keeping scans for {@code ttl}. */
  public CachingSharedIndex(SharedIndex index, Duration ttl) {
    this(index, ttl, System::nanoTime);
  }

  CachingSharedIndex(SharedIndex index, Duration ttl, LongSupplier clock) {
    this.index = requireNonNull(index, "index is null");
    this.ttlNanos = requireNonNull(ttl, "ttl is null").toNanos();
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public void put(List<Object> key, byte[] value) throws Exception {
    index.put(key, value);
    cache.clear();
  }

  @Override
  public void remove(List<Object> key, byte[] value) throws Exception {
    index.remove(key, value);
    cache.clear();
  }

  @Override
  public List<byte[]> scan(List<Object> low, List<Object> highPrefix) throws Exception {
    if (ttlNanos <= 0) {
      return index.scan(low, highPrefix);
    }
    var scan = new Scan(List.copyOf(low), List.copyOf(highPrefix));
    long now = clock.getAsLong();
    var cached = cache.get(scan);
    if (cached != null && now - cached.expiresAtNanos() < 0) {
      return cached.values();
    }
    var values = List.copyOf(index.scan(low, highPrefix));
    cache.put(scan, new Cached(now + ttlNanos, values));
    return values;
  }
}
