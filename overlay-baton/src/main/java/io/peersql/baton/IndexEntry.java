package io.peersql.baton;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/** One index entry: a key of the ordered key space and one small value stored under it. */
public record IndexEntry(OrderedKey key, ByteString value) implements Serializable {
  public IndexEntry {
    requireNonNull(key, "key is null");
    requireNonNull(value, "value is null");
  }
}
