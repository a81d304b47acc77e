package io.peersql.peer.schema;

import io.peersql.peer.load.SharedDataChanged;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Follows the network's global schema: when the bootstrap announces a version newer than the one
 * the store has, fetches it and applies it ({@link SchemaSync}); keeps the current version for
 * the peer's other parts (which tables it shares, which columns are range-indexed).
 */
@Component
public class SchemaFollower {

  private static final Logger log = LoggerFactory.getLogger(SchemaFollower.class);

  private final SchemaSync sync;
  private final ApplicationEventPublisher events;
  private volatile GlobalSchema current;

  /** Creates a SchemaFollower over the peer's store. */
  public SchemaFollower(DataSource store, ApplicationEventPublisher events) {
    this.sync = new SchemaSync(store);
    this.events = events;
  }

  /**
   * Called with the version the bootstrap announced; fetches and applies it when this peer does
   * not hold it yet. Failures are logged and retried at the next announcement.
   */
  public synchronized void announced(int version, Supplier<GlobalSchema> fetch) {
    if (version <= 0 || (current != null && current.version() >= version)) {
      return;
    }
    try {
      var schema = fetch.get();
      sync.apply(schema);
      current = schema;
      events.publishEvent(new SharedDataChanged(tables()));
    } catch (Exception e) {
      log.warn("Cannot apply global schema version {} yet: {}", version, e.getMessage());
    }
  }

  /** The global schema this peer follows, once known. */
  public Optional<GlobalSchema> current() {
    return Optional.ofNullable(current);
  }

  /** The global tables, or empty before the first schema arrived. */
  public List<String> tables() {
    return current().map(schema -> schema.tables().stream().map(GlobalSchema.Table::name).toList()).orElse(List.of());
  }

  /** The range-indexed columns per table. */
  public Map<String, List<String>> rangeIndexed() {
    return current().map(schema -> schema.tables().stream()
        .collect(Collectors.toMap(GlobalSchema.Table::name, GlobalSchema.Table::rangeIndexed))).orElse(Map.of());
  }
}
