package io.peersql.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

/** Builds the companies, networks, schemas and peers a test needs, over the API. */
public final class Fixtures {

  public static final String ADMIN_PASSWORD = "admin-password-1";

  private final Api anonymous;
  private final Api provider;

  public Fixtures(Api anonymous, Api provider) {
    this.anonymous = anonymous;
    this.provider = provider;
  }

  /** A registration body for company {@code name} with admin {@code name-admin}. */
  public static Map<String, Object> registration(String name) {
    return Map.of("name", name, "displayName", "Company " + name, "contactEmail", "it@" + name + ".example",
        "admin", Map.of("username", name + "-admin", "password", ADMIN_PASSWORD));
  }

  /** Registers and approves company {@code name}; returns its admin's client. */
  public Api approvedCompany(String name) {
    var created = provider.post("/api/companies", registration(name));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return anonymous.as(name + "-admin", ADMIN_PASSWORD);
  }

  /** Creates network {@code name} owned by the admin's company. */
  public void network(Api admin, String name) {
    var created = admin.post("/api/networks", Map.of("name", name, "description", "test network"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
  }

  /** A one-table schema: orders(o_orderkey BIGINT key, o_status CHAR(1), o_total DECIMAL(12,2), o_date DATE). */
  public static Map<String, Object> ordersSchema() {
    return Map.of("tables", List.of(Map.of("name", "orders",
        "columns", List.of(
            Map.of("name", "o_orderkey", "type", "BIGINT"),
            Map.of("name", "o_status", "type", "CHAR(1)"),
            Map.of("name", "o_total", "type", "DECIMAL(12,2)"),
            Map.of("name", "o_date", "type", "DATE")),
        "primaryKey", List.of("o_orderkey"),
        "rangeIndexed", List.of("o_date"))));
  }

  /** Puts the first schema version of a network. */
  public void schema(Api manager, String network) {
    var created = manager.put("/api/networks/" + network + "/schema", ordersSchema());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
  }

  /** Creates a peer of the admin's company; returns the client logged in as that peer. */
  public Api peer(Api admin, String network, String name) {
    var created = admin.post("/api/networks/" + network + "/peers", Map.of("name", name));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return anonymous.as(created.json().path("username").asText(), created.json().path("secret").asText());
  }

  /** Registers a peer process at a loopback address. */
  public static void register(Api peer, int port) {
    var registered = peer.post("/api/peer/registration",
        Map.of("address", "http://127.0.0.1:" + port, "overlayAddress", "127.0.0.1:" + (port + 1000)));
    assertThat(registered.status()).as(registered.toString()).isEqualTo(200);
  }
}
