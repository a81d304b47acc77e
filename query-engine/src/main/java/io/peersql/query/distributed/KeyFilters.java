package io.peersql.query.distributed;

import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;

/**
 * Adds a condition on one output field to a per-peer fragment, as low as it simply goes: below a
 * top aggregate when the field is one of its group keys (so peers aggregate only the rows that
 * can join), else on top.
 */
final class KeyFilters {

  private KeyFilters() {
  }

  static RelNode apply(RelNode fragment, int field, RexNode condition) {
    if (fragment instanceof Aggregate aggregate && field < aggregate.getGroupCount()) {
      int inputField = aggregate.getGroupSet().nth(field);
      var onInput = condition.accept(new RexShuttle() {
        @Override
        public RexNode visitInputRef(RexInputRef ref) {
          return new RexInputRef(inputField, ref.getType());
        }
      });
      var filtered = LogicalFilter.create(aggregate.getInput(), onInput);
      return aggregate.copy(aggregate.getTraitSet(), List.of(filtered));
    }
    return LogicalFilter.create(fragment, condition);
  }
}
