package io.peersql.peer.jdbc;

import io.peersql.query.jdbc.AvaticaProtocol;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The peer's JDBC endpoint for business users: the Avatica protocol (protobuf) over HTTP at
 * {@value #PATH}, served on the peer's one HTTP port. A plain servlet rather than a Spring MVC
 * controller: every JDBC call is one POST, and handler lookup and argument resolution per call
 * cost more than the protocol's own work for a point query.
 */
final class JdbcEndpoint extends HttpServlet {

  static final String PATH = "/avatica";

  private final transient AvaticaProtocol protocol;

  JdbcEndpoint(AvaticaProtocol protocol) {
    this.protocol = protocol;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    var reply = protocol.handle(request.getInputStream().readAllBytes());
    response.setStatus(reply.getStatusCode());
    response.setContentType("application/octet-stream");
    response.setContentLength(reply.getResponse().length);
    response.getOutputStream().write(reply.getResponse());
  }
}
