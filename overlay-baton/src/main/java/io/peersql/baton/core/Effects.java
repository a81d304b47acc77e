package io.peersql.baton.core;

import java.util.List;

/** What handling one input produced: messages to send and events for the node's owner. */
public record Effects(List<Envelope> sends, List<NodeEvent> events) {
  public static final Effects NONE = new Effects(List.of(), List.of());
}
