package io.peersql.bootstrap.companies;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.bootstrap.ApiTestSupport;
import io.peersql.bootstrap.Fixtures;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class CompanyApiTest extends ApiTestSupport {

  @Test
  void aSelfRegisteredCompanyWaitsForTheProvidersApproval() {
    var name = unique("acme");
    var registered = api().post("/api/companies", Fixtures.registration(name));
    assertThat(registered.status()).isEqualTo(201);
    assertThat(registered.json().path("state").asText()).isEqualTo("PENDING");
    assertThat(registered.body()).doesNotContain(Fixtures.ADMIN_PASSWORD);

    var admin = api().as(name + "-admin", Fixtures.ADMIN_PASSWORD);
    assertThat(admin.get("/api/companies/" + name).json().path("state").asText()).isEqualTo("PENDING");
    var refused = admin.post("/api/networks", Map.of("name", unique("net")));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.detail()).contains("is pending; only approved companies");

    assertThat(admin.post("/api/companies/" + name + "/approval", null).status()).isEqualTo(403);
    var approved = provider().post("/api/companies/" + name + "/approval", null);
    assertThat(approved.status()).isEqualTo(200);
    assertThat(approved.json().path("state").asText()).isEqualTo("APPROVED");
    assertThat(admin.post("/api/networks", Map.of("name", unique("net"))).status()).isEqualTo(201);
  }

  @Test
  void aNameOrUsernameIsTakenOnce() {
    var name = unique("dup");
    assertThat(api().post("/api/companies", Fixtures.registration(name)).status()).isEqualTo(201);
    var again = api().post("/api/companies", Fixtures.registration(name));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.detail()).contains("A company named '" + name + "' is already registered");

    var other = unique("other");
    var sameAdmin = api().post("/api/companies", Map.of("name", other, "displayName", "Other",
        "contactEmail", "a@b.example", "admin", Map.of("username", name + "-admin", "password", "long-enough-pw")));
    assertThat(sameAdmin.status()).isEqualTo(409);
    assertThat(sameAdmin.detail()).contains("username '" + name + "-admin' is already taken");
    assertThat(provider().get("/api/companies/" + other).status()).as("nothing half-written").isEqualTo(404);

    var providerName = api().post("/api/companies", Map.of("name", unique("p"), "displayName", "P",
        "contactEmail", "a@b.example", "admin", Map.of("username", "provider", "password", "long-enough-pw")));
    assertThat(providerName.status()).isEqualTo(409);
  }

  @Test
  void invalidRegistrationsAreRefusedWithEveryReason() {
    var bad = api().post("/api/companies", Map.of("name", "Bad Name", "displayName", "",
        "contactEmail", "not-an-email", "admin", Map.of("username", "x", "password", "short")));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("code").asText()).isEqualTo("invalid-input");
    assertThat(bad.json().path("errors").toString())
        .contains("name: must start with a lower-case letter", "displayName", "contactEmail",
            "admin.password: must be 12 to 128 characters long");

    var malformed = api().post("/api/companies", "{\"name\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().path("code").asText()).isEqualTo("malformed-body");

    var unknownField = api().post("/api/companies", "{\"name\":\"x\",\"colour\":\"red\"}");
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(unknownField.detail()).contains("colour");
  }

  @Test
  void theProviderListsCompaniesPageByPageAndAnAdminSeesOnlyItsOwn() {
    var admin = new Fixtures(api(), provider()).approvedCompany(unique("lister"));
    for (int i = 0; i < 3; i++) {
      new Fixtures(api(), provider()).approvedCompany(unique("many"));
    }
    var page = provider().get("/api/companies?page=0&size=2");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.json().path("items")).hasSize(2);
    assertThat(page.json().path("total").asLong()).isGreaterThanOrEqualTo(4);
    var second = provider().get("/api/companies?page=1&size=2");
    assertThat(second.json().path("items").get(0).path("name").asText())
        .isNotEqualTo(page.json().path("items").get(0).path("name").asText());

    var own = admin.get("/api/companies");
    assertThat(own.json().path("items")).hasSize(1);
    assertThat(own.json().path("total").asLong()).isEqualTo(1);

    assertThat(provider().get("/api/companies?size=1000").status()).isEqualTo(400);
    assertThat(provider().get("/api/companies?page=-1").status()).isEqualTo(400);
    assertThat(provider().get("/api/companies?page=abc").status()).isEqualTo(400);
    assertThat(provider().get("/api/companies?state=SLEEPING").status()).isEqualTo(400);
  }

  @Test
  void anAdminCannotSeeOrChangeAnotherCompany() {
    var fixtures = new Fixtures(api(), provider());
    var one = unique("one");
    var admin = fixtures.approvedCompany(one);
    var two = unique("two");
    fixtures.approvedCompany(two);
    assertThat(admin.get("/api/companies/" + two).status()).isEqualTo(403);
    assertThat(admin.post("/api/companies/" + two + "/deactivation", null).status()).isEqualTo(403);
    assertThat(admin.get("/api/companies/nobody-at-all").status()).isEqualTo(404);
  }

  @Test
  void contactDetailsChangeOnlyAgainstTheCurrentVersion() {
    var name = unique("etag");
    var admin = new Fixtures(api(), provider()).approvedCompany(name);
    var current = admin.get("/api/companies/" + name);
    var etag = current.etag();
    assertThat(etag).isNotBlank();
    var update = Map.of("displayName", "Renamed", "contactEmail", "new@x.example");

    var withoutIfMatch = admin.put("/api/companies/" + name, update);
    assertThat(withoutIfMatch.status()).isEqualTo(428);
    assertThat(withoutIfMatch.detail()).contains("If-Match");

    var updated = admin.header("If-Match", etag).put("/api/companies/" + name, update);
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().path("displayName").asText()).isEqualTo("Renamed");
    assertThat(updated.etag()).isNotEqualTo(etag);

    var stale = admin.header("If-Match", etag).put("/api/companies/" + name, update);
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.detail()).contains("changed by someone else");
  }

  @Test
  void ofConcurrentUpdatesOnTheSameVersionExactlyOneWins() throws Exception {
    var name = unique("race");
    var admin = new Fixtures(api(), provider()).approvedCompany(name);
    var etag = admin.get("/api/companies/" + name).etag();
    var tasks = new ArrayList<Callable<Integer>>();
    for (int i = 0; i < 6; i++) {
      var update = Map.of("displayName", "Writer " + i, "contactEmail", "w" + i + "@x.example");
      tasks.add(() -> admin.header("If-Match", etag).put("/api/companies/" + name, update).status());
    }
    try (var pool = Executors.newFixedThreadPool(6)) {
      var statuses = pool.invokeAll(tasks).stream().map(future -> {
        try {
          return future.get();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }).toList();
      assertThat(statuses).containsOnly(200, 412);
      assertThat(statuses).filteredOn(status -> status == 200).hasSize(1);
    }
    assertThat(admin.get("/api/companies/" + name).json().path("version").asLong()).isEqualTo(1);
  }

  @Test
  void aDeactivatedCompanysAccountsStopWorkingAndItsPeersRetire() {
    var fixtures = new Fixtures(api(), provider());
    var name = unique("gone");
    var admin = fixtures.approvedCompany(name);
    var network = unique("net");
    fixtures.network(admin, network);
    var peerName = unique("peer");
    var peer = fixtures.peer(admin, network, peerName);
    Fixtures.register(peer, 9100);

    var deactivated = provider().post("/api/companies/" + name + "/deactivation", null);
    assertThat(deactivated.status()).isEqualTo(200);
    assertThat(deactivated.json().path("state").asText()).isEqualTo("DEACTIVATED");

    var login = admin.get("/api/companies/" + name);
    assertThat(login.status()).isEqualTo(401);
    assertThat(login.detail()).contains("disabled");
    assertThat(peer.put("/api/peer/heartbeat", null).status()).isEqualTo(401);
    assertThat(provider().get("/api/peers/" + peerName).json().path("state").asText()).isEqualTo("RETIRED");
    assertThat(provider().get("/api/networks/" + network).json().path("members")).isEmpty();
    assertThat(provider().post("/api/companies/" + name + "/approval", null).status()).isEqualTo(409);
  }
}
