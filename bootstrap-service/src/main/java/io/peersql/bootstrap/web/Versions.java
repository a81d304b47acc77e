package io.peersql.bootstrap.web;

import org.springframework.http.ResponseEntity;

/**
 * Optimistic concurrency over HTTP: a resource's ETag is its version, and an update of an
 * existing resource must name, in {@code If-Match}, the version it was based on.
 */
public final class Versions {

  private Versions() {
  }

  /** The ETag of a resource at {@code version}. */
  public static String etag(long version) {
    return "\"" + version + "\"";
  }

  /** A 200 response carrying {@code body} and its version as the ETag. */
  public static <T> ResponseEntity<T> withEtag(T body, long version) {
    return ResponseEntity.ok().eTag(etag(version)).body(body);
  }

  /**
   * Returns the version named by an {@code If-Match} header, refusing a missing header
   * (428) or one that does not name {@code current} (412).
   */
  public static long requireMatch(String ifMatch, long current, String what) {
    if (ifMatch == null || ifMatch.isBlank()) {
      throw ApiProblem.preconditionRequired("Updating " + what + " needs an If-Match header with the ETag"
          + " from a GET of it (currently " + etag(current) + ")");
    }
    var value = ifMatch.trim();
    if (value.startsWith("W/")) {
      value = value.substring(2);
    }
    value = value.replace("\"", "");
    long expected;
    try {
      expected = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiProblem.preconditionFailed("If-Match " + ifMatch + " is not an ETag of " + what
          + "; its current ETag is " + etag(current));
    }
    if (expected != current) {
      throw stale(what, current);
    }
    return expected;
  }

  /** The problem for an update based on a version that someone else has replaced. */
  public static ApiProblem stale(String what, long current) {
    return ApiProblem.preconditionFailed(what + " was changed by someone else (its ETag is now "
        + etag(current) + "); fetch it again and retry");
  }
}
