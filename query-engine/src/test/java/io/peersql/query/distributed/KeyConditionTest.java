package io.peersql.query.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalValues;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

/** The {@code key IN (..)} that semi-join reduction adds to a fragment, as the stores receive it. */
class KeyConditionTest {

  @Test
  void keysOfANullableColumnAreSentAsOneInListNotAnOrOfEqualities() {
    var typeFactory = new JavaTypeFactoryImpl();
    var cluster = RelOptCluster.create(new HepPlanner(HepProgram.builder().build()), new RexBuilder(typeFactory));
    var nullableKey = typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.BIGINT), true);
    var rowType = typeFactory.builder().add("l_suppkey", nullableKey).build();
    var fragment = LogicalValues.createEmpty(cluster, rowType);

    var condition = FragmentPlan.keyCondition(fragment, 0, List.of(11L, 3L, 7L, 40L));

    assertThat(condition.getKind()).isEqualTo(SqlKind.SEARCH);
    var sql = FragmentSql.toSql(LogicalFilter.create(fragment, condition), PostgresqlSqlDialect.DEFAULT);
    assertThat(sql).contains(" IN (").doesNotContain(" OR ").contains("11").contains("40");
  }
}
