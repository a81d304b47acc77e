package io.peersql.query.distributed;

import java.math.BigDecimal;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

/**
 * Rule that matches a {@code Sort} with a literal limit on a {@link PeerQuery} and has every peer
 * return only its own first {@code offset + limit} rows in that order; the sort stays above to
 * merge them.
 */
final class PeerTopNRule extends RelRule<PeerRuleConfig> {

  static final PeerRuleConfig CONFIG = PeerRuleConfig.of("PeerTopNRule",
      b0 -> b0.operand(LogicalSort.class).predicate(sort -> sort.fetch instanceof RexLiteral
              && (sort.offset == null || sort.offset instanceof RexLiteral))
          .oneInput(b1 -> b1.operand(PeerQuery.class).predicate(PeerQuery::acceptsPushdown).noInputs()),
      PeerTopNRule::new);

  /** Creates a PeerTopNRule. */
  PeerTopNRule(PeerRuleConfig config) {
    super(config);
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    LogicalSort sort = call.rel(0);
    PeerQuery query = call.rel(1);
    var limit = value(sort.fetch).add(sort.offset == null ? BigDecimal.ZERO : value(sort.offset));
    var rexBuilder = sort.getCluster().getRexBuilder();
    var perPeer = LogicalSort.create(query.fragment(), sort.getCollation(), null,
        rexBuilder.makeExactLiteral(limit));
    var pushed = query.with(perPeer, PeerQuery.Stage.TOP_N, query.selection(), null);
    call.transformTo(sort.copy(sort.getTraitSet(), pushed, sort.getCollation(), sort.offset, sort.fetch));
  }

  private static BigDecimal value(RexNode literal) {
    return ((RexLiteral) literal).getValueAs(BigDecimal.class);
  }
}
