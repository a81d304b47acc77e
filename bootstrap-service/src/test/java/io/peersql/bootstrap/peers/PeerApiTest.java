package io.peersql.bootstrap.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.peersql.bootstrap.Api;
import io.peersql.bootstrap.ApiTestSupport;
import io.peersql.bootstrap.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PeerApiTest extends ApiTestSupport {

  private Fixtures fixtures;
  private String company;
  private Api admin;
  private String network;

  @BeforeEach
  void companyWithNetwork() {
    fixtures = new Fixtures(api(), provider());
    company = unique("co");
    admin = fixtures.approvedCompany(company);
    network = unique("net");
    fixtures.network(admin, network);
  }

  @Test
  void aPeerRegistersAndHeartbeatsWithTheCredentialsIssuedToIt() {
    var name = unique("peer");
    var created = admin.post("/api/networks/" + network + "/peers", Map.of("name", name));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("peer").path("state").asText()).isEqualTo("STARTING");
    assertThat(created.json().path("peer").path("company").asText()).isEqualTo(company);
    var secret = created.json().path("secret").asText();
    assertThat(secret).hasSizeGreaterThanOrEqualTo(32);

    var peer = api().as(name, secret);
    var early = peer.put("/api/peer/heartbeat", null);
    assertThat(early.status()).isEqualTo(409);
    assertThat(early.json().path("code").asText()).isEqualTo("not-registered");

    var registered = peer.post("/api/peer/registration",
        Map.of("address", "http://127.0.0.1:9001", "overlayAddress", "127.0.0.1:9701"));
    assertThat(registered.status()).isEqualTo(200);
    assertThat(registered.json().path("state").asText()).isEqualTo("ACTIVE");
    assertThat(registered.json().path("schemaVersion").asInt()).isZero();

    clock.advance(java.time.Duration.ofSeconds(3));
    var beat = peer.put("/api/peer/heartbeat", null);
    assertThat(beat.status()).isEqualTo(200);
    var view = admin.get("/api/peers/" + name).json();
    assertThat(view.path("state").asText()).isEqualTo("ACTIVE");
    assertThat(view.path("address").asText()).isEqualTo("http://127.0.0.1:9001");
    assertThat(view.path("lastHeartbeat").asText()).isNotEqualTo(view.path("registeredAt").asText());
    assertThat(admin.get("/api/networks/" + network + "/events?kind=PEER_JOINED").json().path("items"))
        .hasSize(1);
  }

  @Test
  void wrongOrForeignCredentialsAreRefused() {
    var name = unique("peer");
    var peer = fixtures.peer(admin, network, name);
    assertThat(api().as(name, "wrong-secret").put("/api/peer/heartbeat", null).status()).isEqualTo(401);
    assertThat(admin.put("/api/peer/heartbeat", null).status()).as("an admin is not a peer").isEqualTo(403);
    assertThat(peer.get("/api/companies").status()).as("a peer is not an admin").isEqualTo(403);
    assertThat(api().get("/api/peers").status()).isEqualTo(401);
  }

  @Test
  void aRotatedSecretReplacesTheOldOne() {
    var name = unique("peer");
    var old = fixtures.peer(admin, network, name);
    Fixtures.register(old, 9200);
    var rotated = admin.post("/api/peers/" + name + "/credentials", null);
    assertThat(rotated.status()).isEqualTo(200);
    assertThat(old.put("/api/peer/heartbeat", null).status()).isEqualTo(401);
    var fresh = api().as(name, rotated.json().path("secret").asText());
    assertThat(fresh.put("/api/peer/heartbeat", null).status()).isEqualTo(200);
  }

  @Test
  void aRetiredPeerCanNoLongerLogIn() {
    var name = unique("peer");
    var peer = fixtures.peer(admin, network, name);
    Fixtures.register(peer, 9300);
    var retired = admin.delete("/api/peers/" + name);
    assertThat(retired.status()).isEqualTo(200);
    assertThat(retired.json().path("state").asText()).isEqualTo("RETIRED");
    assertThat(peer.put("/api/peer/heartbeat", null).status()).isEqualTo(401);
    assertThat(admin.post("/api/peers/" + name + "/credentials", null).status()).isEqualTo(409);
    assertThat(admin.delete("/api/networks/" + network + "/members/" + company).status())
        .as("no running peers left, so the company may leave").isEqualTo(200);
  }

  @Test
  void peersAreCreatedOnlyByMembersUnderFreeNames() {
    var name = unique("peer");
    fixtures.peer(admin, network, name);
    var again = admin.post("/api/networks/" + network + "/peers", Map.of("name", name));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.detail()).contains("A peer named '" + name + "' already exists");

    var outsider = fixtures.approvedCompany(unique("outsider"));
    var notMember = outsider.post("/api/networks/" + network + "/peers", Map.of("name", unique("p")));
    assertThat(notMember.status()).isEqualTo(409);
    assertThat(notMember.detail()).contains("is not a member of network");

    assertThat(admin.post("/api/networks/no-such-net/peers", Map.of("name", unique("p"))).status()).isEqualTo(404);
    assertThat(admin.post("/api/networks/" + network + "/peers", Map.of("name", "Bad Name")).status())
        .isEqualTo(400);
    var providerWithoutCompany = provider().post("/api/networks/" + network + "/peers", Map.of("name", unique("p")));
    assertThat(providerWithoutCompany.status()).isEqualTo(400);
    assertThat(provider().post("/api/networks/" + network + "/peers",
        Map.of("name", unique("p"), "company", company)).status()).isEqualTo(201);
    assertThat(admin.get("/api/peers/no-such-peer").status()).isEqualTo(404);
  }

  @Test
  void aPeerFetchesItsSchemaRolesAndTheOverlayAccessPoints() {
    fixtures.schema(admin, network);
    var first = fixtures.peer(admin, network, unique("first"));
    Fixtures.register(first, 9401);
    var second = fixtures.peer(admin, network, unique("second"));
    assertThat(second.get("/api/peer/access-points").json()).hasSize(1);
    Fixtures.register(second, 9402);

    var points = first.get("/api/peer/access-points");
    assertThat(points.status()).isEqualTo(200);
    assertThat(points.json()).hasSize(1);
    assertThat(points.json().get(0).path("overlayAddress").asText()).isEqualTo("127.0.0.1:10402");

    var schema = first.get("/api/peer/schema");
    assertThat(schema.status()).isEqualTo(200);
    assertThat(schema.etag()).isEqualTo("\"1\"");
    assertThat(schema.json().path("tables").get(0).path("name").asText()).isEqualTo("orders");
    assertThat(first.put("/api/peer/heartbeat", null).json().path("schemaVersion").asInt()).isEqualTo(1);
    assertThat(first.get("/api/peer/roles").json().path("roles")).isEmpty();
    assertThat(first.get("/api/peer").json().path("network").asText()).isEqualTo(network);
  }

  @Test
  void invalidRegistrationsAreRefused() {
    var peer = fixtures.peer(admin, network, unique("peer"));
    var badAddress = peer.post("/api/peer/registration", Map.of("address", "not a url"));
    assertThat(badAddress.status()).isEqualTo(400);
    assertThat(badAddress.detail()).contains("address: must be a base URL");
    assertThat(peer.post("/api/peer/registration", "{").status()).isEqualTo(400);
  }

  @Test
  void theProviderSeesEveryPeerAndAnAdminItsCompanysPeers() {
    var name = unique("peer");
    fixtures.peer(admin, network, name);
    assertThat(admin.get("/api/peers").json().path("items")).hasSize(1);
    assertThat(admin.get("/api/networks/" + network + "/peers").json().path("items").get(0).path("name").asText())
        .isEqualTo(name);
    assertThat(provider().get("/api/peers?size=100").json().path("total").asLong()).isGreaterThanOrEqualTo(1);
    var outsider = fixtures.approvedCompany(unique("outsider"));
    assertThat(outsider.get("/api/networks/" + network + "/peers").status()).isEqualTo(403);
    assertThat(outsider.get("/api/peers/" + name).status()).isEqualTo(403);
  }
}
