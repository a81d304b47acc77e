package io.peersql.baton.core;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/** A link to another node: its identity and the tree position it held when last heard of. */
public record Link(NodeId node, Position position) implements Serializable {
  public Link {
    requireNonNull(node, "node is null");
    requireNonNull(position, "position is null");
  }
}
