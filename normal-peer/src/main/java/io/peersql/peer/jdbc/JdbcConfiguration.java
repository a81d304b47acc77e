package io.peersql.peer.jdbc;

import io.peersql.peer.PeerProperties;
import io.peersql.query.CalciteConnectionSpec;
import io.peersql.query.LocalStore;
import io.peersql.query.jdbc.AvaticaProtocol;
import io.peersql.query.jdbc.BusinessUsers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the JDBC endpoint: Calcite over the peer's own store, for the company's business users. */
@Configuration
class JdbcConfiguration {

  @Bean(destroyMethod = "close")
  AvaticaProtocol avaticaProtocol(DataSourceProperties dataSource, DataSource pool, PeerProperties peer)
      throws SQLException {
    String schema;
    try (var connection = pool.getConnection()) {
      // PUBLIC on H2, public on PostgreSQL: whatever the store calls its default schema.
      schema = connection.getSchema();
    }
    var store = new LocalStore(dataSource.determineUrl(), Objects.requireNonNullElse(dataSource.determineUsername(), ""),
        Objects.requireNonNullElse(dataSource.determinePassword(), ""), schema);
    return new AvaticaProtocol(new CalciteConnectionSpec(store), businessUsers(peer));
  }

  private static BusinessUsers businessUsers(PeerProperties peer) {
    byte[] expectedUser = peer.businessUser().getBytes(StandardCharsets.UTF_8);
    byte[] expectedPassword = peer.businessPassword().getBytes(StandardCharsets.UTF_8);
    return (user, password) -> user != null && password != null
        && MessageDigest.isEqual(expectedUser, user.getBytes(StandardCharsets.UTF_8))
        && MessageDigest.isEqual(expectedPassword, password.getBytes(StandardCharsets.UTF_8));
  }
}
