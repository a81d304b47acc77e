package io.peersql.peer.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The peer's store follows the global schema's versions, on H2 and on PostgreSQL. */
class SchemaSyncTest {

  private static GlobalSchema version(int version, String commentType, boolean withRating) {
    var columns = new java.util.ArrayList<>(List.of(
        new GlobalSchema.Column("s_suppkey", "BIGINT", false),
        new GlobalSchema.Column("s_name", "VARCHAR(25)", false),
        new GlobalSchema.Column("s_comment", commentType, true)));
    if (withRating) {
      columns.add(new GlobalSchema.Column("s_rating", "DECIMAL(4,1)", true));
    }
    return new GlobalSchema(version, List.of(
        new GlobalSchema.Table("supplier", columns, List.of("s_suppkey"), List.of("s_suppkey"))));
  }

  private static void followsVersions(DataSource store) throws Exception {
    var sync = new SchemaSync(store);
    assertThat(sync.appliedVersion()).isZero();
    assertThat(sync.apply(version(1, "VARCHAR(20)", false))).hasSize(1);
    try (var connection = store.getConnection(); var statement = connection.createStatement()) {
      statement.execute("insert into supplier (s_suppkey, s_name, s_comment) values (1, 'Acme', 'short')");
      assertThatThrownBy(() -> statement.execute(
          "insert into supplier (s_suppkey, s_name, s_comment) values (2, 'Long', 'this comment is longer than twenty')"))
          .isInstanceOf(java.sql.SQLException.class);
    }

    var ran = sync.apply(version(2, "VARCHAR(101)", true));
    assertThat(ran).hasSize(2).anySatisfy(ddl -> assertThat(ddl).contains("add column s_rating"))
        .anySatisfy(ddl -> assertThat(ddl).contains("s_comment").contains("VARCHAR(101)"));
    assertThat(sync.appliedVersion()).isEqualTo(2);
    assertThat(sync.apply(version(2, "VARCHAR(101)", true))).as("applying again changes nothing").isEmpty();

    try (var connection = store.getConnection(); var statement = connection.createStatement()) {
      statement.execute("insert into supplier (s_suppkey, s_name, s_comment, s_rating) "
          + "values (2, 'Long', 'this comment is longer than twenty', 4.5)");
      try (var rows = statement.executeQuery("select count(*) from supplier where s_name = 'Acme'")) {
        rows.next();
        assertThat(rows.getLong(1)).as("existing rows stay").isEqualTo(1);
      }
    }
  }

  @Test
  void h2StoreFollowsSchemaVersions() throws Exception {
    var store = new JdbcDataSource();
    store.setURL("jdbc:h2:mem:schema-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    store.setUser("sa");
    followsVersions(store);
  }

  @Test
  void postgresStoreFollowsSchemaVersions() throws Exception {
    try (var postgres = EmbeddedPostgres.start()) {
      followsVersions(postgres.getPostgresDatabase());
    }
  }
}
