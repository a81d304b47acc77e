package io.peersql.baton.core;

import java.io.Serializable;
import java.util.List;

/**
 * What a node tells others about itself: position, range and which children it has.
 * Routing-table entries cache exactly this. {@code departing} marks a node that is in the
 * middle of leaving and must not be counted as present when judging whether a routing
 * table is full. {@code near} are the ranges, as the sender last heard them, of its
 * children and adjacent nodes (BATON's cached child ranges): a search can jump straight
 * to one of them. They are hints only, possibly stale; routing never relies on them for
 * correctness.
 */
public record NodeInfo(NodeId node, Position position, KeyRange range, boolean hasLeftChild,
    boolean hasRightChild, boolean departing, List<RangeHint> near) implements Serializable {

  /** A node and the range it was last heard to own. */
  public record RangeHint(NodeId node, KeyRange range) implements Serializable {}

  public NodeInfo {
    near = near == null ? List.of() : near;
  }

  /** Creates a node's info with no hints about its neighbourhood. */
  public NodeInfo(NodeId node, Position position, KeyRange range, boolean hasLeftChild,
      boolean hasRightChild, boolean departing) {
    this(node, position, range, hasLeftChild, hasRightChild, departing, List.of());
  }

  public boolean hasChildren() {
    return hasLeftChild || hasRightChild;
  }

  public boolean hasChild(Side side) {
    return side == Side.LEFT ? hasLeftChild : hasRightChild;
  }

  public Link link() {
    return new Link(node, position);
  }
}
