package io.peersql.bootstrap.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies above {@code peersql.bootstrap.max-request-size} (1 MB by default)
 * with 413: at once when the declared length is too large, and while reading when a body
 * without a declared length grows past the limit.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestSizeLimit extends OncePerRequestFilter {

  /** Thrown while reading a body that passed the limit. */
  static final class TooLarge extends IOException {
    TooLarge(long limit) {
      super("The request body is larger than " + limit + " bytes");
    }
  }

  private final long limit;

  RequestSizeLimit(@Value("${peersql.bootstrap.max-request-size:1MB}") DataSize limit) {
    this.limit = limit.toBytes();
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > limit) {
      response.setStatus(HttpStatus.PAYLOAD_TOO_LARGE.value());
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,"
          + "\"code\":\"payload-too-large\",\"detail\":\"The request body is larger than the " + limit
          + " bytes the service accepts\",\"instance\":\"" + request.getRequestURI().replace("\"", "") + "\"}");
      return;
    }
    chain.doFilter(new Limited(request, limit), response);
  }

  /** A request whose body stream fails once more than {@code limit} bytes were read. */
  private static final class Limited extends HttpServletRequestWrapper {

    private final long limit;
    private ServletInputStream stream;

    Limited(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        var in = super.getInputStream();
        stream = new ServletInputStream() {
          private long read;

          @Override
          public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
              count(1);
            }
            return b;
          }

          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
              count(n);
            }
            return n;
          }

          private void count(int n) throws TooLarge {
            read += n;
            if (read > limit) {
              throw new TooLarge(limit);
            }
          }

          @Override
          public boolean isFinished() {
            return in.isFinished();
          }

          @Override
          public boolean isReady() {
            return in.isReady();
          }

          @Override
          public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
          }
        };
      }
      return stream;
    }
  }
}
