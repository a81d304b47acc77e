package io.peersql.baton.core;

import io.peersql.baton.ByteString;
import io.peersql.baton.IndexEntry;
import io.peersql.baton.OrderedKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** The index entries a node holds (its own, or a replica of a neighbour's): key to values. */
public final class EntryStore {
  private final TreeMap<OrderedKey, TreeSet<ByteString>> map = new TreeMap<>();
  private int size;

  /** Creates an empty store. */
  public EntryStore() {}

  /** Creates a store holding {@code entries}. */
  public EntryStore(Collection<IndexEntry> entries) {
    addAll(entries);
  }

  public boolean put(OrderedKey key, ByteString value) {
    boolean added = map.computeIfAbsent(key, k -> new TreeSet<>()).add(value);
    if (added) {
      size++;
    }
    return added;
  }

  public boolean remove(OrderedKey key, ByteString value) {
    var values = map.get(key);
    if (values == null || !values.remove(value)) {
      return false;
    }
    size--;
    if (values.isEmpty()) {
      map.remove(key);
    }
    return true;
  }

  public List<ByteString> get(OrderedKey key) {
    var values = map.get(key);
    return values == null ? List.of() : List.copyOf(values);
  }

  public boolean contains(OrderedKey key, ByteString value) {
    var values = map.get(key);
    return values != null && values.contains(value);
  }

  /** Entries with low <= key <= high (high null = no upper bound), in key order. */
  public List<IndexEntry> scan(OrderedKey low, OrderedKey high) {
    NavigableMap<OrderedKey, TreeSet<ByteString>> sub =
        high == null ? map.tailMap(low, true) : map.subMap(low, true, high, true);
    var out = new ArrayList<IndexEntry>();
    sub.forEach((k, vs) -> vs.forEach(v -> out.add(new IndexEntry(k, v))));
    return out;
  }

  /** Removes and returns the entries whose keys fall in {@code range}. */
  public List<IndexEntry> extract(KeyRange range) {
    NavigableMap<OrderedKey, TreeSet<ByteString>> sub = range.high() == null
        ? map.tailMap(range.low(), true)
        : map.subMap(range.low(), true, range.high(), false);
    var out = new ArrayList<IndexEntry>();
    sub.forEach((k, vs) -> vs.forEach(v -> out.add(new IndexEntry(k, v))));
    size -= out.size();
    sub.clear();
    return out;
  }

  public void addAll(Collection<IndexEntry> entries) {
    for (var e : entries) {
      put(e.key(), e.value());
    }
  }

  public List<IndexEntry> all() {
    return scan(OrderedKey.MIN, null);
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** The key at the middle of the stored entries (by entry count), or null when empty. */
  public OrderedKey medianKey() {
    if (size == 0) {
      return null;
    }
    int target = size / 2;
    int seen = 0;
    for (var e : map.entrySet()) {
      seen += e.getValue().size();
      if (seen > target) {
        return e.getKey();
      }
    }
    return map.lastKey();
  }

  /** Keys in ascending order with their value counts; used to pick shift boundaries. */
  public NavigableMap<OrderedKey, TreeSet<ByteString>> view() {
    return java.util.Collections.unmodifiableNavigableMap(map);
  }
}
