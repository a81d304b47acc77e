package io.peersql.peer.store;

import io.peersql.peer.PeerProperties;
import javax.sql.DataSource;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Prepares the store when the peer starts: creates the shared tables and loads the peer's
 * sample-data slice if configured. The peer reports itself ready only after this finished.
 */
@Component
@Order(1)
class StoreInitializer implements ApplicationRunner {

  private final DataSource store;
  private final PeerProperties properties;

  StoreInitializer(DataSource store, PeerProperties properties) {
    this.store = store;
    this.properties = properties;
  }

  @Override
  public void run(ApplicationArguments args) throws Exception {
    var loader = new TpchSliceLoader(store);
    if (properties.tpch().enabled()) {
      loader.loadIfEmpty(properties.tpch());
    } else {
      loader.createTables();
    }
    loader.createIndexes();
  }
}
