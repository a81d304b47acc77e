package io.peersql.query.distributed;

import io.peersql.query.schema.ColumnDef;
import io.peersql.query.schema.TableDef;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.ImmutableBitSet;

import static java.util.Objects.requireNonNull;

/**
 * A global-schema table whose rows are spread over peers; implements {@link TranslatableTable}.
 * Its scan becomes a {@link PeerQuery} that sends a sub-query to every peer holding the table,
 * and into which the planner pushes filters, projections, aggregates, top-N and co-located joins.
 * Its row count is the sum of the peers' row counts as the locator reports them.
 */
public final class DistributedTable extends AbstractTable implements TranslatableTable {

  /** Row count assumed per peer when the locator knows none. */
  private static final double UNKNOWN_ROWS_PER_PEER = 10_000;

  private final TableDef definition;
  private final QueryRuntime runtime;

  /** Creates a DistributedTable for the given definition and runtime. */
  public DistributedTable(TableDef definition, QueryRuntime runtime) {
    this.definition = requireNonNull(definition, "definition is null");
    this.runtime = requireNonNull(runtime, "runtime is null");
  }

  /** The global-schema definition. */
  public TableDef definition() {
    return definition;
  }

  QueryRuntime runtime() {
    return runtime;
  }

  /** The table's name in the stores' SQL (H2 folds unquoted names to upper case). */
  public String storeName() {
    return definition.name().toUpperCase(Locale.ROOT);
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    var builder = typeFactory.builder();
    for (var column : definition.columns()) {
      builder.add(column.name().toUpperCase(Locale.ROOT), type(typeFactory, column));
    }
    return builder.build();
  }

  private static RelDataType type(RelDataTypeFactory typeFactory, ColumnDef column) {
    var type = switch (column.type()) {
      case BIGINT -> typeFactory.createSqlType(SqlTypeName.BIGINT);
      case INTEGER -> typeFactory.createSqlType(SqlTypeName.INTEGER);
      case DECIMAL -> typeFactory.createSqlType(SqlTypeName.DECIMAL, column.precision(), column.scale());
      case DOUBLE -> typeFactory.createSqlType(SqlTypeName.DOUBLE);
      case DATE -> typeFactory.createSqlType(SqlTypeName.DATE);
      case TIMESTAMP -> typeFactory.createSqlType(SqlTypeName.TIMESTAMP, 3);
      case VARCHAR -> typeFactory.createSqlType(SqlTypeName.VARCHAR, column.precision());
      case BOOLEAN -> typeFactory.createSqlType(SqlTypeName.BOOLEAN);
    };
    return typeFactory.createTypeWithNullability(type, column.nullable());
  }

  @Override
  public Statistic getStatistic() {
    var key = ImmutableBitSet.of(definition.primaryKey().stream()
        .mapToInt(definition::columnIndex).toArray());
    return Statistics.of(rowCount(), key.isEmpty() ? List.of() : List.of(key));
  }

  /** Rows in the whole network, from the peers' statistics. */
  double rowCount() {
    double rows = 0;
    for (var peer : runtime.locator().peersHolding(definition.name())) {
      var known = runtime.locator().rowCount(peer, definition.name());
      rows += known.isPresent() ? known.getAsLong() : UNKNOWN_ROWS_PER_PEER;
    }
    return Math.max(rows, 1);
  }

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    return PeerQuery.scan(context.getCluster(), relOptTable, this);
  }
}
