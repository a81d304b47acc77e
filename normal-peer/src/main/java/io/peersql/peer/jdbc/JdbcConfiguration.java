package io.peersql.peer.jdbc;

import io.peersql.peer.PeerProperties;
import io.peersql.peer.query.NetworkQueries;
import io.peersql.query.jdbc.AvaticaProtocol;
import io.peersql.query.jdbc.BusinessUsers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the JDBC endpoint: Calcite over the whole network's shared data (the distributed engine,
 * finding peers through the overlay), for the company's business users.
 */
@Configuration
class JdbcConfiguration {

  @Bean(destroyMethod = "close")
  AvaticaProtocol avaticaProtocol(NetworkQueries queries, PeerProperties peer) {
    return new AvaticaProtocol(queries, businessUsers(peer));
  }

  @Bean
  ServletRegistrationBean<JdbcEndpoint> jdbcEndpoint(AvaticaProtocol protocol) {
    var registration = new ServletRegistrationBean<>(new JdbcEndpoint(protocol), JdbcEndpoint.PATH);
    registration.setName("avatica");
    registration.setLoadOnStartup(1);
    return registration;
  }

  private static BusinessUsers businessUsers(PeerProperties peer) {
    byte[] expectedUser = peer.businessUser().getBytes(StandardCharsets.UTF_8);
    byte[] expectedPassword = peer.businessPassword().getBytes(StandardCharsets.UTF_8);
    return new BusinessUsers() {
      @Override
      public boolean authenticate(String user, String password) {
        return user != null && password != null
            && MessageDigest.isEqual(expectedUser, user.getBytes(StandardCharsets.UTF_8))
            && MessageDigest.isEqual(expectedPassword, password.getBytes(StandardCharsets.UTF_8));
      }

      @Override
      public String roleOf(String user) {
        return peer.businessRole();
      }
    };
  }
}
