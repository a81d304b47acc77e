package io.peersql.peer.jdbc;

import io.peersql.peer.PeerProperties;
import io.peersql.query.DistributedEngine;
import io.peersql.query.distributed.ExchangeSettings;
import io.peersql.query.jdbc.AvaticaProtocol;
import io.peersql.query.jdbc.BusinessUsers;
import io.peersql.query.peer.HttpPeerQueryClient;
import io.peersql.query.peer.PeerLocator;
import io.peersql.query.schema.TpchSchema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;
import org.apache.calcite.sql.dialect.H2SqlDialect;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the JDBC endpoint: Calcite over the whole network's shared data (the distributed engine,
 * finding peers through the overlay), for the company's business users.
 */
@Configuration
class JdbcConfiguration {

  @Bean(destroyMethod = "close")
  DistributedEngine distributedEngine(PeerProperties peer, PeerLocator locator, DataSource store) throws SQLException {
    String product;
    try (var connection = store.getConnection()) {
      product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    }
    // Sub-queries are written in the dialect of this peer's store: a network's peers share one store kind.
    var dialect = product.contains("postgres") ? PostgresqlSqlDialect.DEFAULT : H2SqlDialect.DEFAULT;
    return new DistributedEngine(peer.name(), TpchSchema.create(), locator,
        HttpPeerQueryClient.create(Duration.ofSeconds(5), Duration.ofMinutes(2)), dialect, ExchangeSettings.DEFAULT);
  }

  @Bean(destroyMethod = "close")
  AvaticaProtocol avaticaProtocol(DistributedEngine engine, PeerProperties peer) {
    return new AvaticaProtocol(engine.connections(), businessUsers(peer));
  }

  private static BusinessUsers businessUsers(PeerProperties peer) {
    byte[] expectedUser = peer.businessUser().getBytes(StandardCharsets.UTF_8);
    byte[] expectedPassword = peer.businessPassword().getBytes(StandardCharsets.UTF_8);
    return (user, password) -> user != null && password != null
        && MessageDigest.isEqual(expectedUser, user.getBytes(StandardCharsets.UTF_8))
        && MessageDigest.isEqual(expectedPassword, password.getBytes(StandardCharsets.UTF_8));
  }
}
