package io.peersql.query.wire;

import static java.util.Objects.requireNonNull;

/** A column of a row stream: its name (for diagnostics) and how its values travel. */
public record WireColumn(String name, WireType type) {

  /** Creates a WireColumn. */
  public WireColumn {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
  }
}
