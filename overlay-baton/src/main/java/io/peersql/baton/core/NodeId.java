package io.peersql.baton.core;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/**
 * The identity of an overlay node: the address it listens on. Nothing assumes two nodes
 * share a JVM; the simulator uses made-up hosts such as {@code sim-17}.
 */
public record NodeId(String host, int port) implements Serializable, Comparable<NodeId> {
  public NodeId {
    requireNonNull(host, "host is null");
  }

  /** Parses {@code host:port}. */
  public static NodeId parse(String hostPort) {
    int i = hostPort.lastIndexOf(':');
    if (i < 0) {
      throw new IllegalArgumentException("expected host:port, got " + hostPort);
    }
    return new NodeId(hostPort.substring(0, i), Integer.parseInt(hostPort.substring(i + 1)));
  }

  @Override
  public int compareTo(NodeId o) {
    int c = host.compareTo(o.host);
    return c != 0 ? c : Integer.compare(port, o.port);
  }

  /**
   * A well-mixed hash: simulated ids ({@code sim-17:10017}) make the default record hash of
   * host and port collide often, which turns hash buckets into trees.
   */
  @Override
  public int hashCode() {
    long h = host.hashCode() * 0x9E3779B97F4A7C15L + port;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    return (int) (h ^ (h >>> 32));
  }

  /**
   * Same host and port. Compares the port first: ids are compared on every message received
   * (links, routing entries), and different nodes mostly differ in their port.
   */
  @Override
  public boolean equals(Object o) {
    return this == o || o instanceof NodeId n && port == n.port && host.equals(n.host);
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
