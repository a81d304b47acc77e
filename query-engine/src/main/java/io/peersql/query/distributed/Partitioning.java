package io.peersql.query.distributed;

import org.apache.calcite.util.ImmutableBitSet;

import static java.util.Objects.requireNonNull;

/**
 * How the rows of a per-peer fragment are placed: every row whose fields {@code keys} hold a given
 * value lives on one peer, the same one for every table of co-location {@code group}. Lets the
 * planner run an equi-join on those fields, or an aggregate grouping by one of them, inside each
 * peer.
 *
 * @param group co-location group
 * @param keys output fields that carry the group's placement value
 */
record Partitioning(String group, ImmutableBitSet keys) {

  Partitioning {
    requireNonNull(group, "group is null");
    requireNonNull(keys, "keys is null");
  }

  /** The partitioning after a projection that maps output field i to {@code sources[i]} (or -1). */
  Partitioning project(int[] sources) {
    var builder = ImmutableBitSet.builder();
    for (int i = 0; i < sources.length; i++) {
      if (sources[i] >= 0 && keys.get(sources[i])) {
        builder.set(i);
      }
    }
    var projected = builder.build();
    return projected.isEmpty() ? null : new Partitioning(group, projected);
  }
}
