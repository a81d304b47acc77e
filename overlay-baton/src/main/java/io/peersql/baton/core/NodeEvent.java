package io.peersql.baton.core;

import io.peersql.baton.core.Message.Result;

/** Something a node's owner may want to know about; emitted by {@link BatonProtocol}. */
public sealed interface NodeEvent {

  /** The node took a position in the tree (by joining or by replacing another node). */
  record Joined(Position position, KeyRange range) implements NodeEvent {}

  record Left() implements NodeEvent {}

  /** A join attempt ended without a place in the tree; the owner may try another node. */
  record JoinAborted(String reason) implements NodeEvent {}

  record NeighbourChanged(String link, NodeId node) implements NodeEvent {}

  record RangeChanged(KeyRange range) implements NodeEvent {}

  record NeighbourFailed(NodeId node) implements NodeEvent {}

  /** The node fenced itself off after losing contact with all its links. */
  record Fenced() implements NodeEvent {}

  /** A client operation started at this node finished. */
  record OperationCompleted(long reqId, Result result, int hops) implements NodeEvent {}
}
