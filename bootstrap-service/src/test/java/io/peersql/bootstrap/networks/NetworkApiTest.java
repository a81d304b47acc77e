package io.peersql.bootstrap.networks;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.bootstrap.ApiTestSupport;
import io.peersql.bootstrap.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkApiTest extends ApiTestSupport {

  @Test
  void companiesCreateJoinAndLeaveNetworks() {
    var fixtures = new Fixtures(api(), provider());
    var ownerName = unique("owner");
    var owner = fixtures.approvedCompany(ownerName);
    var network = unique("net");
    var created = owner.post("/api/networks", Map.of("name", network, "description", "suppliers"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("owner").asText()).isEqualTo(ownerName);
    assertThat(created.json().path("members").get(0).asText()).isEqualTo(ownerName);

    var partnerName = unique("partner");
    var partner = fixtures.approvedCompany(partnerName);
    var joined = partner.put("/api/networks/" + network + "/members/" + partnerName, null);
    assertThat(joined.status()).isEqualTo(200);
    assertThat(partner.put("/api/networks/" + network + "/members/" + partnerName, null).status())
        .as("joining twice changes nothing").isEqualTo(200);
    assertThat(owner.get("/api/networks/" + network).json().path("members")).hasSize(2);
    assertThat(partner.put("/api/networks/" + network + "/members/" + ownerName, null).status())
        .as("a company joins only itself").isEqualTo(403);

    fixtures.peer(partner, network, unique("peer"));
    var refused = partner.delete("/api/networks/" + network + "/members/" + partnerName);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.detail()).contains("still runs peers", "retire them first");

    var events = owner.get("/api/networks/" + network + "/events");
    assertThat(events.json().path("items").findValuesAsText("kind"))
        .contains("NETWORK_CREATED", "COMPANY_JOINED", "PEER_CREATED");
    assertThat(events.json().path("items").get(0).path("kind").asText()).as("newest first").isEqualTo("PEER_CREATED");
  }

  @Test
  void aNetworkNameIsTakenOnceAndUnknownNamesAreNotFound() {
    var admin = new Fixtures(api(), provider()).approvedCompany(unique("co"));
    var network = unique("net");
    assertThat(admin.post("/api/networks", Map.of("name", network)).status()).isEqualTo(201);
    var again = provider().post("/api/networks", Map.of("name", network));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.detail()).contains("already exists");
    assertThat(admin.get("/api/networks/no-such-net").status()).isEqualTo(404);
    assertThat(admin.put("/api/networks/no-such-net/members/x", null).status()).isEqualTo(404);
    assertThat(admin.delete("/api/networks/" + network + "/members/no-such-company").status()).isEqualTo(404);
    assertThat(provider().post("/api/networks", Map.of("name", unique("n"), "owner", "no-such-company")).status())
        .isEqualTo(404);
    assertThat(admin.post("/api/networks", Map.of("name", "x".repeat(65))).status()).isEqualTo(400);
    assertThat(admin.get("/api/networks?size=1").json().path("items")).hasSize(1);
  }

  @Test
  void aDescriptionChangesAgainstTheNetworksVersionByItsOwnerOnly() {
    var fixtures = new Fixtures(api(), provider());
    var owner = fixtures.approvedCompany(unique("owner"));
    var network = unique("net");
    fixtures.network(owner, network);
    var etag = owner.get("/api/networks/" + network).etag();
    var other = fixtures.approvedCompany(unique("other"));
    assertThat(other.header("If-Match", etag).put("/api/networks/" + network, Map.of("description", "mine"))
        .status()).isEqualTo(403);
    assertThat(owner.put("/api/networks/" + network, Map.of("description", "new")).status()).isEqualTo(428);
    assertThat(owner.header("If-Match", etag).put("/api/networks/" + network, Map.of("description", "new"))
        .status()).isEqualTo(200);
    assertThat(owner.header("If-Match", etag).put("/api/networks/" + network, Map.of("description", "newer"))
        .status()).isEqualTo(412);
  }
}
