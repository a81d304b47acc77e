package io.peersql.baton.core;

import java.io.Serializable;

/**
 * What a node tells others about itself: position, range and which children it has.
 * Routing-table entries cache exactly this. {@code departing} marks a node that is in the
 * middle of leaving and must not be counted as present when judging whether a routing
 * table is full.
 */
public record NodeInfo(NodeId node, Position position, KeyRange range, boolean hasLeftChild,
    boolean hasRightChild, boolean departing) implements Serializable {

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
