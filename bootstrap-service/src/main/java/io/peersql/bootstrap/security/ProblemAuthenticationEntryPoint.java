package io.peersql.bootstrap.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Answers missing or wrong credentials (401) and insufficient rights (403) with RFC 7807
 * problems. Requests marked {@code X-Requested-With: XMLHttpRequest} (the portal) get no
 * {@code WWW-Authenticate} challenge, so browsers do not pop up their own login dialog.
 */
class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint, AccessDeniedHandler {

  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    if (!"XMLHttpRequest".equals(request.getHeader("X-Requested-With"))) {
      response.setHeader("WWW-Authenticate", "Basic realm=\"peersql-bootstrap\"");
    }
    String detail;
    if (e instanceof DisabledException) {
      detail = "This account is disabled (its company was deactivated or its peer retired)";
    } else if (request.getHeader("Authorization") == null) {
      detail = "This endpoint needs credentials: HTTP Basic with a provider, company admin or peer account";
    } else {
      detail = "The username or password is wrong";
    }
    write(response, HttpStatus.UNAUTHORIZED, "unauthenticated", detail, request);
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    write(response, HttpStatus.FORBIDDEN, "forbidden",
        "This account may not use " + request.getMethod() + " " + request.getRequestURI(), request);
  }

  private static void write(HttpServletResponse response, HttpStatus status, String code, String detail,
      HttpServletRequest request) throws IOException {
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase()
        + "\",\"status\":" + status.value() + ",\"code\":\"" + code + "\",\"detail\":\"" + detail
        + "\",\"instance\":\"" + request.getRequestURI().replace("\"", "").replace("\\", "") + "\"}");
  }
}
