package io.peersql.query.jdbc;

/**
 * The business users that may connect to a peer over JDBC, and how their credentials are checked.
 * The peer supplies the implementation; the JDBC endpoint only asks.
 */
@FunctionalInterface
public interface BusinessUsers {

  /** Returns whether {@code user} may connect with {@code password}; both may be null. */
  boolean authenticate(String user, String password);

  /** The role {@code user} holds in the corporate network, carried with its sub-queries. */
  default String roleOf(String user) {
    return "";
  }
}
