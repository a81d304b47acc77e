package io.peersql.peer.jdbc;

import io.peersql.query.jdbc.AvaticaProtocol;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The peer's JDBC endpoint for business users: the Avatica protocol (protobuf) over HTTP at
 * {@value #PATH}, served on the peer's one HTTP port.
 */
@RestController
class JdbcEndpoint {

  static final String PATH = "/avatica";

  private final AvaticaProtocol protocol;

  JdbcEndpoint(AvaticaProtocol protocol) {
    this.protocol = protocol;
  }

  @PostMapping(PATH)
  void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
    var reply = protocol.handle(request.getInputStream().readAllBytes());
    response.setStatus(reply.getStatusCode());
    response.setContentType("application/octet-stream");
    response.setContentLength(reply.getResponse().length);
    response.getOutputStream().write(reply.getResponse());
  }
}
