package io.peersql.peer.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * A single-process {@link SharedIndex} for unit tests of the directory logic; the overlay itself
 * is exercised by the peer network tests.
 */
final class InMemorySharedIndex implements SharedIndex {

  private final TreeMap<List<Object>, List<byte[]>> entries = new TreeMap<>(InMemorySharedIndex::compare);

  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compare(List<Object> a, List<Object> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      int c = x.getClass() == y.getClass() ? ((Comparable) x).compareTo(y)
          : x.getClass().getName().compareTo(y.getClass().getName());
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  @Override
  public synchronized void put(List<Object> key, byte[] value) {
    var values = entries.computeIfAbsent(List.copyOf(key), k -> new ArrayList<>());
    if (values.stream().noneMatch(v -> Arrays.equals(v, value))) {
      values.add(value);
    }
  }

  @Override
  public synchronized void remove(List<Object> key, byte[] value) {
    var values = entries.get(key);
    if (values != null) {
      values.removeIf(v -> Arrays.equals(v, value));
      if (values.isEmpty()) {
        entries.remove(key);
      }
    }
  }

  @Override
  public synchronized List<byte[]> scan(List<Object> low, List<Object> highPrefix) {
    var found = new ArrayList<byte[]>();
    for (var entry : entries.tailMap(low, true).entrySet()) {
      var key = entry.getKey();
      if (compare(key.subList(0, Math.min(key.size(), highPrefix.size())), highPrefix) > 0) {
        break;
      }
      found.addAll(entry.getValue());
    }
    return found;
  }

  synchronized int size() {
    return entries.values().stream().mapToInt(List::size).sum();
  }
}
