package io.peersql.query.distributed;

import java.util.Optional;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexInputRef;

/**
 * Traces a field of a per-peer fragment back to the table scan and column it comes from, if it
 * is a plain copy of one. Scans are numbered left to right, as {@link PeerSelection} numbers them.
 */
final class FragmentLineage {

  /** A fragment field that is a column of scan number {@code leaf}. */
  record Origin(int leaf, DistributedTable table, String column) {
  }

  private FragmentLineage() {
  }

  static Optional<Origin> origin(RelNode node, int field) {
    return switch (node) {
      case TableScan scan -> {
        var table = scan.getTable().unwrap(DistributedTable.class);
        yield table == null ? Optional.empty()
            : Optional.of(new Origin(0, table, table.definition().columns().get(field).name()));
      }
      case Filter filter -> origin(filter.getInput(), field);
      case Sort sort -> origin(sort.getInput(), field);
      case Project project -> project.getProjects().get(field) instanceof RexInputRef ref
          ? origin(project.getInput(), ref.getIndex()) : Optional.empty();
      case Aggregate aggregate -> field < aggregate.getGroupCount()
          ? origin(aggregate.getInput(), aggregate.getGroupSet().nth(field)) : Optional.empty();
      case Join join -> {
        int leftCount = join.getLeft().getRowType().getFieldCount();
        if (field < leftCount) {
          yield origin(join.getLeft(), field);
        }
        int offset = leaves(join.getLeft());
        yield origin(join.getRight(), field - leftCount)
            .map(o -> new Origin(o.leaf() + offset, o.table(), o.column()));
      }
      default -> Optional.empty();
    };
  }

  /** Number of table scans in the fragment. */
  static int leaves(RelNode node) {
    if (node instanceof TableScan) {
      return 1;
    }
    int n = 0;
    for (var input : node.getInputs()) {
      n += leaves(input);
    }
    return n;
  }
}
