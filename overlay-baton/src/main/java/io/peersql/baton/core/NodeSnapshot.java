package io.peersql.baton.core;

import java.io.Serializable;
import java.util.List;

/**
 * A node's structural state as replicated on its adjacent nodes: enough for a replacement
 * to take over its position after it fails or leaves.
 */
public record NodeSnapshot(NodeInfo info, Link parent, Link leftChild, Link rightChild,
    Link leftAdjacent, Link rightAdjacent, List<NodeInfo> routing) implements Serializable {

  public Link child(Side side) {
    return side == Side.LEFT ? leftChild : rightChild;
  }

  public Link adjacent(Side side) {
    return side == Side.LEFT ? leftAdjacent : rightAdjacent;
  }

  public boolean isLeaf() {
    return leftChild == null && rightChild == null;
  }

  /** This snapshot with its tree links to {@code old} going to {@code now} instead. */
  public NodeSnapshot relinked(NodeId old, Link now) {
    return new NodeSnapshot(info, swap(parent, old, now), swap(leftChild, old, now),
        swap(rightChild, old, now), swap(leftAdjacent, old, now), swap(rightAdjacent, old, now),
        routing);
  }

  private static Link swap(Link l, NodeId old, Link now) {
    return l != null && l.node().equals(old) ? now : l;
  }
}
