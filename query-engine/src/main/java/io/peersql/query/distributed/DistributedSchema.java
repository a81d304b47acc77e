package io.peersql.query.distributed;

import io.peersql.query.schema.GlobalSchema;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

import static java.util.Objects.requireNonNull;

/**
 * A Calcite schema over the network's global schema: one {@link DistributedTable} per table, named
 * in upper case (business users write unquoted names, which Calcite folds to upper case).
 */
public final class DistributedSchema extends AbstractSchema {

  private final Map<String, Table> tables;
  private final PlanCache plans = new PlanCache();

  /** Creates a DistributedSchema over the given global schema, for one connection's runtime. */
  public DistributedSchema(GlobalSchema schema, QueryRuntime runtime) {
    requireNonNull(schema, "schema is null");
    requireNonNull(runtime, "runtime is null");
    var map = new LinkedHashMap<String, Table>();
    for (var table : schema.tables()) {
      map.put(table.name().toUpperCase(Locale.ROOT), new DistributedTable(table, runtime));
    }
    this.tables = Map.copyOf(map);
  }

  /** The plans this connection prepared. */
  PlanCache plans() {
    return plans;
  }

  @Override
  protected Map<String, Table> getTableMap() {
    return tables;
  }
}
