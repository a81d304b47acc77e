package io.peersql.query.distributed;

import java.util.function.Function;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.tools.RelBuilderFactory;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Configuration of a {@link PeerQuery} pushdown rule: its operands, description and builder,
 * and how to make the rule from them. A plain record, so the rules need no generated code.
 */
record PeerRuleConfig(
    RelRule.OperandTransform operandSupplier,
    @Nullable String description,
    RelBuilderFactory relBuilderFactory,
    Function<PeerRuleConfig, RelOptRule> factory) implements RelRule.Config {

  static PeerRuleConfig of(String description, RelRule.OperandTransform operands,
      Function<PeerRuleConfig, RelOptRule> factory) {
    return new PeerRuleConfig(operands, description, RelFactories.LOGICAL_BUILDER, factory);
  }

  @Override
  public RelOptRule toRule() {
    return factory.apply(this);
  }

  @Override
  public PeerRuleConfig withRelBuilderFactory(RelBuilderFactory newFactory) {
    return new PeerRuleConfig(operandSupplier, description, newFactory, factory);
  }

  @Override
  public PeerRuleConfig withDescription(@Nullable String newDescription) {
    return new PeerRuleConfig(operandSupplier, newDescription, relBuilderFactory, factory);
  }

  @Override
  public PeerRuleConfig withOperandSupplier(RelRule.OperandTransform transform) {
    return new PeerRuleConfig(transform, description, relBuilderFactory, factory);
  }
}
