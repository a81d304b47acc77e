package io.peersql.bootstrap.web;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A request the service refuses, with the HTTP status, a stable error code and a message the
 * caller can act on; rendered as an RFC 7807 problem by {@link ProblemResponses}.
 */
public class ApiProblem extends RuntimeException {

  private final HttpStatus status;
  private final String code;
  private final List<String> errors;

  /** Creates an ApiProblem; {@code errors} lists individual findings, if there are several. */
  public ApiProblem(HttpStatus status, String code, String message, List<String> errors) {
    super(requireNonNull(message, "message is null"));
    this.status = requireNonNull(status, "status is null");
    this.code = requireNonNull(code, "code is null");
    this.errors = List.copyOf(errors);
  }

  public static ApiProblem badRequest(String code, String message, List<String> errors) {
    return new ApiProblem(HttpStatus.BAD_REQUEST, code, message, errors);
  }

  public static ApiProblem forbidden(String message) {
    return new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", message, List.of());
  }

  public static ApiProblem notFound(String message) {
    return new ApiProblem(HttpStatus.NOT_FOUND, "not-found", message, List.of());
  }

  public static ApiProblem conflict(String code, String message) {
    return new ApiProblem(HttpStatus.CONFLICT, code, message, List.of());
  }

  public static ApiProblem preconditionFailed(String message) {
    return new ApiProblem(HttpStatus.PRECONDITION_FAILED, "stale-version", message, List.of());
  }

  public static ApiProblem preconditionRequired(String message) {
    return new ApiProblem(HttpStatus.PRECONDITION_REQUIRED, "if-match-required", message, List.of());
  }

  public static ApiProblem unprocessable(String code, String message, List<String> errors) {
    return new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, code, message, errors);
  }

  public HttpStatus status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<String> errors() {
    return errors;
  }
}
