package io.peersql.query.distributed;

import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;

/** Rule that makes a logical {@link PeerQuery} executable, as the same fragment in the enumerable convention. */
final class PeerQueryToEnumerableRule extends ConverterRule {

  static final Config CONFIG = Config.INSTANCE
      .withConversion(PeerQuery.class, Convention.NONE, EnumerableConvention.INSTANCE,
          "PeerQueryToEnumerableRule")
      .withRuleFactory(PeerQueryToEnumerableRule::new);

  /** Creates a PeerQueryToEnumerableRule. */
  PeerQueryToEnumerableRule(Config config) {
    super(config);
  }

  @Override
  public RelNode convert(RelNode rel) {
    return new EnumerablePeerQuery(rel.getTraitSet().replace(EnumerableConvention.INSTANCE), (PeerQuery) rel);
  }
}
