package io.peersql.query.distributed;

import java.util.Set;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql2rel.RelFieldTrimmer;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Calcite's field trimmer, extended to {@link PeerQuery} leaves: the columns nobody above uses are
 * dropped from every peer's fragment, so scans under joins ship only the join keys and the
 * columns the query needs. Public only because Calcite dispatches {@code trimFields} by reflection.
 */
public final class PeerFieldTrimmer extends RelFieldTrimmer {

  /** Creates a PeerFieldTrimmer. */
  public PeerFieldTrimmer(RelBuilder relBuilder) {
    super(null, relBuilder);
  }

  /** Variant of {@link #trimFields(RelNode, ImmutableBitSet, Set)} for a {@link PeerQuery}. */
  public TrimResult trimFields(PeerQuery query, ImmutableBitSet fieldsUsed,
      Set<RelDataTypeField> extraFields) {
    int fieldCount = query.getRowType().getFieldCount();
    if (!query.acceptsPushdown() || !extraFields.isEmpty()
        || fieldsUsed.equals(ImmutableBitSet.range(fieldCount))) {
      return trimFields((RelNode) query, fieldsUsed, extraFields);
    }
    if (fieldsUsed.isEmpty()) {
      // Some operators cannot take rows without fields; keep the first one.
      return dummyProject(fieldCount, query.project(ImmutableBitSet.of(0)));
    }
    return result(query.project(fieldsUsed), createMapping(fieldsUsed, fieldCount));
  }
}
