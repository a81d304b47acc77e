package io.peersql.bootstrap.roles;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.bootstrap.Api;
import io.peersql.bootstrap.ApiTestSupport;
import io.peersql.bootstrap.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoleGrantApiTest extends ApiTestSupport {

  private Fixtures fixtures;
  private Api owner;
  private String ownerName;
  private String network;
  private String base;

  @BeforeEach
  void networkWithSchema() {
    fixtures = new Fixtures(api(), provider());
    ownerName = unique("owner");
    owner = fixtures.approvedCompany(ownerName);
    network = unique("net");
    fixtures.network(owner, network);
    fixtures.schema(owner, network);
    base = "/api/networks/" + network;
  }

  private static Map<String, Object> ordersRule(String predicate) {
    return Map.of("tables", List.of(Map.of("table", "orders", "columns", List.of("o_orderkey", "o_date"),
        "rowPredicate", predicate)));
  }

  @Test
  void aCompanyDecidesWhatEachRoleSeesOfItsDataAndItsPeersFetchIt() {
    var defined = owner.put(base + "/roles/partner", Map.of("description", "trading partners"));
    assertThat(defined.status()).isEqualTo(201);
    assertThat(owner.put(base + "/roles/analyst", Map.of("description", "analysts")).status()).isEqualTo(201);

    var granted = owner.put(base + "/grants/" + ownerName + "/partner", ordersRule("o_date >= DATE '1995-01-01'"));
    assertThat(granted.status()).as(granted.toString()).isEqualTo(201);
    var etag = granted.etag();

    var peer = fixtures.peer(owner, network, unique("peer"));
    var roles = peer.get("/api/peer/roles").json();
    assertThat(roles.path("roles").findValuesAsText("name")).containsExactly("analyst", "partner");
    assertThat(roles.path("grants")).hasSize(1);
    assertThat(roles.path("grants").get(0).path("tables").get(0).path("rowPredicate").asText())
        .isEqualTo("o_date >= DATE '1995-01-01'");

    assertThat(owner.put(base + "/grants/" + ownerName + "/partner", ordersRule("1 = 1")).status()).isEqualTo(428);
    var replaced = owner.header("If-Match", etag).put(base + "/grants/" + ownerName + "/partner", ordersRule("1 = 1"));
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(owner.header("If-Match", etag).put(base + "/grants/" + ownerName + "/partner", ordersRule("1 = 0"))
        .status()).isEqualTo(412);

    assertThat(owner.delete(base + "/roles/partner").status()).as("still granted").isEqualTo(409);
    assertThat(owner.delete(base + "/grants/" + ownerName + "/partner").status()).isEqualTo(204);
    assertThat(owner.delete(base + "/roles/partner").status()).isEqualTo(204);
    assertThat(owner.get(base + "/roles").json().findValuesAsText("name")).containsExactly("analyst");
  }

  @Test
  void grantsMustMatchTheGlobalSchema() {
    owner.put(base + "/roles/analyst", Map.of("description", "analysts"));
    var wrong = owner.put(base + "/grants/" + ownerName + "/analyst", Map.of("tables", List.of(
        Map.of("table", "orders", "columns", List.of("o_orderkey", "o_secret")),
        Map.of("table", "salaries", "columns", List.of("amount")))));
    assertThat(wrong.status()).isEqualTo(422);
    assertThat(wrong.json().path("errors").toString()).contains("column orders.o_secret is not in the global schema",
        "table salaries is not in the global schema");
    var injection = owner.put(base + "/grants/" + ownerName + "/analyst", ordersRule("1=1; drop table orders"));
    assertThat(injection.status()).isEqualTo(400);
    var noColumns = owner.put(base + "/grants/" + ownerName + "/analyst", Map.of("tables", List.of(
        Map.of("table", "orders", "columns", List.of()))));
    assertThat(noColumns.status()).isEqualTo(400);
    assertThat(owner.put(base + "/grants/" + ownerName + "/nobody", ordersRule("1 = 1")).status()).isEqualTo(404);
    assertThat(owner.get(base + "/grants/" + ownerName + "/analyst").status()).isEqualTo(404);
  }

  @Test
  void onlyTheCompanysAdminGrantsItsDataAndOnlyManagersDefineRoles() {
    owner.put(base + "/roles/analyst", Map.of("description", "analysts"));
    var otherName = unique("other");
    var other = fixtures.approvedCompany(otherName);
    assertThat(other.put(base + "/roles/spy", Map.of("description", "x")).status()).isEqualTo(403);
    assertThat(other.put(base + "/grants/" + ownerName + "/analyst", ordersRule("1 = 1")).status()).isEqualTo(403);
    var notMember = other.put(base + "/grants/" + otherName + "/analyst", ordersRule("1 = 1"));
    assertThat(notMember.status()).isEqualTo(409);
    assertThat(notMember.detail()).contains("is not a member");

    other.put(base + "/members/" + otherName, null);
    assertThat(other.put(base + "/grants/" + otherName + "/analyst", ordersRule("1 = 1")).status()).isEqualTo(201);
    owner.put(base + "/grants/" + ownerName + "/analyst", ordersRule("1 = 1"));
    assertThat(other.get(base + "/grants").json()).hasSize(1);
    assertThat(provider().get(base + "/grants").json()).hasSize(2);
  }

  @Test
  void roleDescriptionsChangeAgainstTheirVersion() {
    var role = owner.put(base + "/roles/analyst", Map.of("description", "analysts"));
    assertThat(owner.put(base + "/roles/analyst", Map.of("description", "changed")).status()).isEqualTo(428);
    var changed = owner.header("If-Match", role.etag()).put(base + "/roles/analyst", Map.of("description", "changed"));
    assertThat(changed.status()).isEqualTo(200);
    assertThat(owner.get(base + "/roles/analyst").json().path("description").asText()).isEqualTo("changed");
    assertThat(owner.put(base + "/roles/Bad%20Role", Map.of("description", "x")).status()).isEqualTo(400);
  }
}
