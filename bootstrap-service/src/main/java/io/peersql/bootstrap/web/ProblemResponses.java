package io.peersql.bootstrap.web;

import jakarta.validation.ConstraintViolationException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.relational.core.conversion.DbActionExecutionException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every refusal into an RFC 7807 problem with a stable {@code code}, a message that says
 * what to fix and, for invalid input, the list of {@code errors}. Spring MVC's own failures
 * (malformed JSON, wrong method, unsupported media type) keep their 4xx status.
 */
@RestControllerAdvice
class ProblemResponses extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

  @ExceptionHandler(ApiProblem.class)
  ResponseEntity<ProblemDetail> apiProblem(ApiProblem e) {
    return ResponseEntity.status(e.status()).body(problem(e.status(), e.code(), e.getMessage(), e.errors()));
  }

  @ExceptionHandler(OptimisticLockingFailureException.class)
  ResponseEntity<ProblemDetail> concurrentUpdate(OptimisticLockingFailureException e) {
    var status = HttpStatus.PRECONDITION_FAILED;
    return ResponseEntity.status(status).body(problem(status, "stale-version",
        "Someone else changed this resource at the same time; fetch it again and retry", List.of()));
  }

  @ExceptionHandler(DbActionExecutionException.class)
  ResponseEntity<ProblemDetail> failedWrite(DbActionExecutionException e) {
    // Spring Data JDBC wraps what the database refused; answer for the cause.
    return switch (e.getCause()) {
      case DataIntegrityViolationException integrity -> integrity(integrity);
      case OptimisticLockingFailureException stale -> concurrentUpdate(stale);
      default -> unexpected(e);
    };
  }

  @ExceptionHandler(DataIntegrityViolationException.class)
  ResponseEntity<ProblemDetail> integrity(DataIntegrityViolationException e) {
    // Reached only when two requests race past the service's own checks (a unique name, say).
    log.info("Refused a write that violates a constraint: {}", e.getMostSpecificCause().getMessage());
    var status = HttpStatus.CONFLICT;
    return ResponseEntity.status(status).body(problem(status, "conflict",
        "The request conflicts with a concurrent change (a name taken or a record removed meanwhile); retry",
        List.of()));
  }

  @ExceptionHandler({ConstraintViolationException.class, MethodArgumentTypeMismatchException.class})
  ResponseEntity<ProblemDetail> badParameter(Exception e) {
    var status = HttpStatus.BAD_REQUEST;
    var errors = new ArrayList<String>();
    if (e instanceof ConstraintViolationException violations) {
      violations.getConstraintViolations().forEach(v -> errors.add(leaf(v.getPropertyPath().toString())
          + ": " + v.getMessage()));
    } else if (e instanceof MethodArgumentTypeMismatchException mismatch) {
      errors.add(mismatch.getName() + ": '" + mismatch.getValue() + "' is not a valid value");
    }
    return ResponseEntity.status(status).body(problem(status, "invalid-input", "The request has invalid values",
        errors));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    log.error("Unexpected failure", e);
    var status = HttpStatus.INTERNAL_SERVER_ERROR;
    return ResponseEntity.status(status).body(problem(status, "internal-error",
        "The service failed unexpectedly; the request was not applied", List.of()));
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "invalid-input",
        "The request has invalid values", fieldErrors(e.getBindingResult())));
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    var errors = new ArrayList<String>();
    e.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(error ->
        errors.add(result.getMethodParameter().getParameterName() + ": " + error.getDefaultMessage())));
    return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "invalid-input",
        "The request has invalid values", errors));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    if (hasCause(e, RequestSizeLimit.TooLarge.class)) {
      var tooLarge = HttpStatus.PAYLOAD_TOO_LARGE;
      return ResponseEntity.status(tooLarge).body(problem(tooLarge, "payload-too-large",
          "The request body is larger than the service accepts", List.of()));
    }
    var cause = e.getMostSpecificCause().getMessage();
    var firstLine = cause == null ? "" : cause.lines().findFirst().orElse("");
    return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "malformed-body",
        "The request body is not the JSON this endpoint expects: " + firstLine, List.of()));
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(Exception e, @Nullable Object body, HttpHeaders headers,
      HttpStatusCode statusCode, WebRequest request) {
    if (body instanceof ProblemDetail detail && detail.getProperties() == null) {
      detail.setProperty("code", codeFor(statusCode));
    }
    return super.handleExceptionInternal(e, body, headers, statusCode, request);
  }

  private static String codeFor(HttpStatusCode status) {
    var resolved = HttpStatus.resolve(status.value());
    return resolved == null ? "error" : resolved.name().toLowerCase().replace('_', '-');
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (var cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> fieldErrors(BindingResult result) {
    var errors = new ArrayList<String>();
    result.getFieldErrors().forEach(error -> errors.add(error.getField() + ": "
        + (error.isBindingFailure() ? "'" + error.getRejectedValue() + "' is not a valid value"
        : error.getDefaultMessage())));
    result.getGlobalErrors().forEach(error -> errors.add(error.getDefaultMessage()));
    return errors;
  }

  private static String leaf(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? path : path.substring(dot + 1);
  }

  static ProblemDetail problem(HttpStatus status, String code, String message, List<String> errors) {
    var problem = ProblemDetail.forStatusAndDetail(status, errors.isEmpty() ? message
        : message + ": " + String.join("; ", errors));
    problem.setProperty("code", code);
    if (!errors.isEmpty()) {
      problem.setProperty("errors", errors);
    }
    return problem;
  }
}
