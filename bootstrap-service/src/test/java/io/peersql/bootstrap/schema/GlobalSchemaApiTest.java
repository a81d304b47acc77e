package io.peersql.bootstrap.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.bootstrap.Api;
import io.peersql.bootstrap.ApiTestSupport;
import io.peersql.bootstrap.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GlobalSchemaApiTest extends ApiTestSupport {

  private Api owner;
  private String network;
  private String path;

  @BeforeEach
  void networkWithOwner() {
    var fixtures = new Fixtures(api(), provider());
    owner = fixtures.approvedCompany(unique("owner"));
    network = unique("net");
    fixtures.network(owner, network);
    path = "/api/networks/" + network + "/schema";
  }

  private static Map<String, Object> orders(List<Map<String, Object>> columns, List<String> key) {
    return Map.of("tables", List.of(Map.of("name", "orders", "columns", columns, "primaryKey", key,
        "rangeIndexed", List.of("o_date"))));
  }

  private static Map<String, Object> column(String name, String type) {
    return Map.of("name", name, "type", type);
  }

  private static final List<Map<String, Object>> V1 = List.of(column("o_orderkey", "BIGINT"),
      column("o_status", "CHAR(1)"), column("o_total", "DECIMAL(12,2)"), column("o_date", "DATE"));

  @Test
  void compatibleChangesBecomeNewVersionsThatPeersSee() {
    var first = owner.put(path, Fixtures.ordersSchema());
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.etag()).isEqualTo("\"1\"");
    assertThat(first.json().path("tables").get(0).path("columns").get(0).path("nullable").asBoolean())
        .as("primary-key columns are NOT NULL").isFalse();

    var widened = new ArrayList<>(List.of(column("o_orderkey", "BIGINT"), column("o_status", "VARCHAR(10)"),
        column("o_total", "decimal(14, 2)"), column("o_date", "DATE"), column("o_note", "VARCHAR(100)")));
    var second = owner.header("If-Match", "\"1\"").put(path, Map.of("tables", List.of(
        Map.of("name", "orders", "columns", widened, "primaryKey", List.of("o_orderkey"),
            "rangeIndexed", List.of("o_date", "o_total")),
        Map.of("name", "customer", "columns", List.of(column("c_custkey", "INTEGER")),
            "primaryKey", List.of("c_custkey")))));
    assertThat(second.status()).as(second.toString()).isEqualTo(200);
    assertThat(second.json().path("version").asInt()).isEqualTo(2);
    assertThat(second.json().path("changes").toString()).contains(
        "widened column orders.o_status from CHAR(1) to VARCHAR(10)",
        "widened column orders.o_total from DECIMAL(12,2) to DECIMAL(14,2)",
        "added column orders.o_note VARCHAR(100)", "range index on orders.o_total", "added table customer");

    var same = owner.header("If-Match", "\"2\"").put(path, Map.of("tables", second.json().path("tables")));
    assertThat(same.status()).isEqualTo(200);
    assertThat(same.json().path("version").asInt()).as("no change, no new version").isEqualTo(2);

    assertThat(owner.get(path).json().path("version").asInt()).isEqualTo(2);
    assertThat(owner.get(path + "/versions/1").json().path("tables").get(0).path("columns")).hasSize(4);
    var versions = owner.get(path + "/versions?size=1");
    assertThat(versions.json().path("total").asInt()).isEqualTo(2);
    assertThat(versions.json().path("items").get(0).path("version").asInt()).isEqualTo(2);
    assertThat(owner.get("/api/networks/" + network + "/events?kind=SCHEMA_CHANGED").json().path("items"))
        .hasSize(2);
  }

  @Test
  void incompatibleChangesAreRefusedWithEveryReasonAndNothingIsWritten() {
    owner.put(path, Fixtures.ordersSchema());
    var broken = owner.header("If-Match", "\"1\"").put(path, orders(List.of(
        column("o_orderkey", "INTEGER"), column("o_status", "CHAR(1)"), column("o_date", "TIMESTAMP"),
        Map.of("name", "o_new", "type", "INTEGER", "nullable", false)), List.of("o_orderkey")));
    assertThat(broken.status()).isEqualTo(422);
    assertThat(broken.json().path("code").asText()).isEqualTo("incompatible-schema-change");
    assertThat(broken.json().path("errors").toString()).contains(
        "column orders.o_orderkey cannot change from BIGINT to INTEGER",
        "column orders.o_total cannot be dropped",
        "column orders.o_date cannot change from DATE to TIMESTAMP",
        "new column orders.o_new must be nullable");
    var dropped = owner.header("If-Match", "\"1\"").put(path, Map.of("tables", List.of()));
    assertThat(dropped.status()).isEqualTo(422);
    assertThat(dropped.detail()).contains("table orders cannot be dropped");
    var newKey = owner.header("If-Match", "\"1\"").put(path, orders(V1, List.of("o_orderkey", "o_date")));
    assertThat(newKey.detail()).contains("the primary key cannot change");
    assertThat(owner.get(path).json().path("version").asInt()).isEqualTo(1);
    assertThat(owner.get(path + "/versions").json().path("total").asInt()).isEqualTo(1);
  }

  @Test
  void malformedSchemasAreRefused() {
    var badType = owner.put(path, orders(List.of(column("o_orderkey", "BIGINT"), column("o_x", "MONEY"),
        column("o_y", "VARCHAR"), column("o_z", "DECIMAL(50,2)")), List.of("o_orderkey", "o_missing")));
    assertThat(badType.status()).isEqualTo(400);
    assertThat(badType.json().path("code").asText()).isEqualTo("invalid-schema");
    assertThat(badType.json().path("errors").toString()).contains("'MONEY' is not a supported type",
        "VARCHAR needs a length", "DECIMAL(p,s) needs 1 <= p <= 38", "primary key column o_missing is not a column",
        "range-indexed column o_date is not a column");
    var badName = owner.put(path, orders(List.of(column("Bad Name", "BIGINT")), List.of("Bad Name")));
    assertThat(badName.status()).isEqualTo(400);
    var noKey = owner.put(path, orders(V1, List.of()));
    assertThat(noKey.status()).isEqualTo(400);
    assertThat(noKey.detail()).contains("primaryKey");
    var duplicate = owner.put(path, Map.of("tables", List.of(
        Map.of("name", "t", "columns", List.of(column("a", "INTEGER"), column("a", "INTEGER")),
            "primaryKey", List.of("a")),
        Map.of("name", "t", "columns", List.of(column("a", "INTEGER")), "primaryKey", List.of("a")))));
    assertThat(duplicate.json().path("errors").toString()).contains("table t is defined twice",
        "column t.a is defined twice");
    assertThat(owner.get(path).status()).isEqualTo(404);
    assertThat(owner.get(path + "/versions/7").status()).isEqualTo(404);
    assertThat(owner.get("/api/networks/no-such-network/schema").status()).isEqualTo(404);
  }

  @Test
  void changesNameTheVersionTheyAreBasedOn() {
    owner.put(path, Fixtures.ordersSchema());
    var withoutIfMatch = owner.put(path, Fixtures.ordersSchema());
    assertThat(withoutIfMatch.status()).isEqualTo(428);
    var stale = owner.header("If-Match", "\"7\"").put(path, Fixtures.ordersSchema());
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.detail()).contains("its ETag is now \"1\"");
  }

  @Test
  void ofConcurrentChangesOnTheSameVersionOneWinsAndTheOthersAreToldToRetry() throws Exception {
    owner.put(path, Fixtures.ordersSchema());
    var tasks = new ArrayList<Callable<Integer>>();
    for (int i = 0; i < 5; i++) {
      var columns = new ArrayList<>(V1);
      columns.add(column("o_extra_" + i, "INTEGER"));
      var body = orders(columns, List.of("o_orderkey"));
      tasks.add(() -> owner.header("If-Match", "\"1\"").put(path, body).status());
    }
    try (var pool = Executors.newFixedThreadPool(5)) {
      var statuses = new ArrayList<Integer>();
      for (var future : pool.invokeAll(tasks)) {
        statuses.add(future.get());
      }
      assertThat(statuses).filteredOn(status -> status == 200).hasSize(1);
      assertThat(statuses).allSatisfy(status -> assertThat(status).isIn(200, 409, 412));
    }
    assertThat(owner.get(path + "/versions").json().path("total").asInt()).isEqualTo(2);
  }

  @Test
  void onlyTheNetworksManagersChangeItsSchemaAndOnlyMembersReadIt() {
    var fixtures = new Fixtures(api(), provider());
    var member = fixtures.approvedCompany(unique("member"));
    var memberName = member.get("/api/me").json().path("company").asText();
    member.put("/api/networks/" + network + "/members/" + memberName, null);
    assertThat(member.put(path, Fixtures.ordersSchema()).status()).isEqualTo(403);
    assertThat(provider().put(path, Fixtures.ordersSchema()).status()).isEqualTo(201);
    assertThat(member.get(path).status()).isEqualTo(200);
    var outsider = fixtures.approvedCompany(unique("outsider"));
    assertThat(outsider.get(path).status()).isEqualTo(403);
  }
}
