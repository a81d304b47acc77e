package io.peersql.query.distributed;

import io.peersql.query.peer.KeySetFilter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.linq4j.function.Function1;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Carries the join keys of a hash join's build side to the peers answering its probe side
 * (semi-join reduction): {@link EnumerableKeyCollector} hands the build side's rows through
 * {@link #collect}, which reads them once per execution and keeps their distinct keys; the probe
 * side's {@link FragmentPlan} asks for {@link #keys} before it sends its sub-query, and adds
 * {@code key IN (..)} when there are few enough; with more, up to {@link #MAX_FILTERED_KEYS}, it
 * sends a Bloom filter of them instead ({@link #filter}), which the owning peers apply to their
 * rows. Whichever side the join reads first, the build side is read once. Public only because
 * generated code calls it.
 */
public final class KeyChannel {

  /** Most distinct keys a Bloom filter is built for (9.6 bits each: 600 kB at this many). */
  static final int MAX_FILTERED_KEYS = 500_000;

  private final Map<DataContext, Build> builds = Collections.synchronizedMap(new WeakHashMap<>());

  /** Creates a KeyChannel. */
  KeyChannel() {
  }

  /** The build side of one execution, read through this channel. */
  public Enumerable<Object> collect(Enumerable<Object> rows, DataContext root, Function1<Object, Object> keyOf) {
    var build = new Build(rows, keyOf);
    builds.put(root, build);
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object> enumerator() {
        return Linq4j.iterableEnumerator(build.rows());
      }
    };
  }

  /**
   * The build side's distinct keys in this execution, or null if there are more than
   * {@code maxKeys} (or none known).
   */
  @Nullable List<Object> keys(DataContext root, int maxKeys) {
    var build = builds.get(root);
    return build == null ? null : build.keys(maxKeys);
  }

  /**
   * A Bloom filter of the build side's distinct keys in this execution, for result column
   * {@code column} of the sub-query it goes with; null when there are at most {@code maxKeys} (an
   * IN list carries them) or more than {@link #MAX_FILTERED_KEYS} (or none known).
   */
  @Nullable KeySetFilter filter(DataContext root, int column, int maxKeys) {
    var build = builds.get(root);
    return build == null ? null : build.filter(column, maxKeys);
  }

  private final class Build {
    private final Enumerable<Object> source;
    private final Function1<Object, Object> keyOf;
    private @Nullable List<Object> rows;
    private @Nullable Set<Object> keys;

    Build(Enumerable<Object> source, Function1<Object, Object> keyOf) {
      this.source = source;
      this.keyOf = keyOf;
    }

    synchronized List<Object> rows() {
      if (rows == null) {
        var read = new ArrayList<Object>();
        var distinct = new LinkedHashSet<Object>();
        try (var enumerator = source.enumerator()) {
          while (enumerator.moveNext()) {
            var row = enumerator.current();
            read.add(row);
            if (distinct != null) {
              var key = keyOf.apply(row);
              if (key != null) {
                distinct.add(key);
              }
              if (distinct.size() > MAX_FILTERED_KEYS) {
                distinct = null;
              }
            }
          }
        }
        rows = read;
        keys = distinct;
      }
      return rows;
    }

    synchronized @Nullable List<Object> keys(int maxKeys) {
      rows();
      return keys == null || keys.size() > maxKeys ? null : List.copyOf(keys);
    }

    synchronized @Nullable KeySetFilter filter(int column, int maxKeys) {
      rows();
      return keys == null || keys.size() <= maxKeys ? null : KeySetFilter.of(column, keys);
    }
  }
}
