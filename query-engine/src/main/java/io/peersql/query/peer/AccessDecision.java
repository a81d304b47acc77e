package io.peersql.query.peer;

import static java.util.Objects.requireNonNull;

/** What an {@link AccessPolicy} decides about one sub-query. */
public sealed interface AccessDecision {

  /** Run the sub-query (possibly rewritten: columns masked, rows filtered). */
  record Run(SubQuery subQuery) implements AccessDecision {
    /** Creates a Run decision. */
    public Run {
      requireNonNull(subQuery, "subQuery is null");
    }
  }

  /** Refuse it; the reason reaches the business user. */
  record Refuse(String reason) implements AccessDecision {
    /** Creates a Refuse decision. */
    public Refuse {
      requireNonNull(reason, "reason is null");
    }
  }
}
