package io.peersql.peer.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Admits only the company admin (HTTP Basic) to the peer's admin API under {@code /api/}, and
 * answers others with an RFC 7807 problem.
 */
final class AdminApiFilter extends OncePerRequestFilter {

  private final AdminProperties admin;

  AdminApiFilter(AdminProperties admin) {
    this.admin = admin;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (admin.password() == null || admin.password().isEmpty()) {
      problem(response, 403, "The admin API of this peer is closed: start the peer with "
          + "peersql.peer.admin.password (PEERSQL_PEER_ADMIN_PASSWORD) set");
      return;
    }
    if (!authenticated(request.getHeader("Authorization"))) {
      response.setHeader("WWW-Authenticate", "Basic realm=\"peersql-peer\"");
      problem(response, 401, "The admin API needs the peer admin's user and password (HTTP Basic)");
      return;
    }
    chain.doFilter(request, response);
  }

  private boolean authenticated(String header) {
    if (header == null || !header.startsWith("Basic ")) {
      return false;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return false;
    }
    return MessageDigest.isEqual(decoded.substring(0, colon).getBytes(StandardCharsets.UTF_8),
        admin.user().getBytes(StandardCharsets.UTF_8))
        && MessageDigest.isEqual(decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8),
        admin.password().getBytes(StandardCharsets.UTF_8));
  }

  private static void problem(HttpServletResponse response, int status, String detail) throws IOException {
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.getWriter().write("{\"type\":\"about:blank\",\"status\":" + status + ",\"detail\":\""
        + detail.replace("\"", "'") + "\"}");
  }

  /** Registers the filter for the admin API only. */
  @Configuration
  static class Registration {

    @Bean
    FilterRegistrationBean<AdminApiFilter> adminApiFilter(AdminProperties admin) {
      var registration = new FilterRegistrationBean<>(new AdminApiFilter(admin));
      registration.addUrlPatterns("/api/*");
      return registration;
    }
  }
}
