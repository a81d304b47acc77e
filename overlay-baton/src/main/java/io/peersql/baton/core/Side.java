package io.peersql.baton.core;

/** Left or right: of a child, an adjacent node, or a routing table. */
public enum Side {
  LEFT,
  RIGHT;

  public Side opposite() {
    return this == LEFT ? RIGHT : LEFT;
  }
}
