package io.peersql.baton.core;

import java.io.Serializable;

/** A message in transit from one node to another. */
public record Envelope(NodeId from, NodeId to, Message message) implements Serializable {}
