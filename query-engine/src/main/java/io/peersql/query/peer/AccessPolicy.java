package io.peersql.query.peer;

/**
 * The owning peer's access rules, applied to every sub-query before it touches the local store.
 * An implementation may pass it through, rewrite it for the requester's role, or refuse it.
 * Enforcement of real rules comes with access control; {@link #ALLOW_ALL} is the default.
 */
@FunctionalInterface
public interface AccessPolicy {

  /** Runs every sub-query as it came. */
  AccessPolicy ALLOW_ALL = AccessDecision.Run::new;

  /** Decides what to do with a sub-query. */
  AccessDecision review(SubQuery subQuery);
}
