package io.peersql.peer.query;

import io.peersql.peer.PeerProperties;
import io.peersql.peer.schema.SchemaFollower;
import io.peersql.query.distributed.ExchangeSettings;
import io.peersql.query.peer.HttpPeerQueryClient;
import io.peersql.query.peer.PeerLocator;
import io.peersql.query.peer.PeerQueryClient;
import io.peersql.query.peer.PeerQueryService;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the distributed query engine of this peer. */
@Configuration
class QueryConfiguration {

  @Bean(destroyMethod = "close")
  NetworkQueries networkQueries(PeerProperties peer, SchemaFollower schemas, PeerLocator locator, DataSource store,
      PeerQueryService ownStore) throws SQLException {
    var remote = HttpPeerQueryClient.create(Duration.ofSeconds(5), Duration.ofMinutes(2));
    // Sub-queries are written in the dialect of this peer's store: a network's peers share one store kind.
    return new NetworkQueries(peer, schemas, locator,
        PeerQueryClient.preferLocal(peer.name(), ownStore, remote), StoreDialects.of(store),
        ExchangeSettings.DEFAULT);
  }
}
