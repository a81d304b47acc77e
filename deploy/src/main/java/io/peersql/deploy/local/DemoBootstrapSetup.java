package io.peersql.deploy.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prepares the demo network on a running bootstrap service over its REST API, as the provider
 * and the companies' admins would: one approved company per peer, the network {@code demo}
 * with the TPC-H global schema and an {@code analyst} role each company grants its whole data
 * to, and one peer per company whose credentials are issued (or, on a later start, re-issued)
 * for the peer process. Every step tolerates what an earlier start already created.
 */
final class DemoBootstrapSetup {

  static final String NETWORK = "demo";
  static final String ROLE = "analyst";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * The TPC-H tables: name, primary key, range-indexed columns, then columns as name/type pairs;
   * the types are those the peers' stores hold (keys BIGINT, money DECIMAL(15,2)).
   */
  private static final List<List<List<String>>> TPCH = List.of(
      table("region", List.of("r_regionkey"), List.of(),
          "r_regionkey", "BIGINT", "r_name", "VARCHAR(25)", "r_comment", "VARCHAR(152)"),
      table("nation", List.of("n_nationkey"), List.of(),
          "n_nationkey", "BIGINT", "n_name", "VARCHAR(25)", "n_regionkey", "BIGINT", "n_comment", "VARCHAR(152)"),
      table("part", List.of("p_partkey"), List.of("p_partkey"),
          "p_partkey", "BIGINT", "p_name", "VARCHAR(55)", "p_mfgr", "VARCHAR(25)", "p_brand", "VARCHAR(10)",
          "p_type", "VARCHAR(25)", "p_size", "INTEGER", "p_container", "VARCHAR(10)", "p_retailprice", "DECIMAL(15,2)",
          "p_comment", "VARCHAR(23)"),
      table("supplier", List.of("s_suppkey"), List.of("s_suppkey"),
          "s_suppkey", "BIGINT", "s_name", "VARCHAR(25)", "s_address", "VARCHAR(40)", "s_nationkey", "BIGINT",
          "s_phone", "VARCHAR(15)", "s_acctbal", "DECIMAL(15,2)", "s_comment", "VARCHAR(101)"),
      table("partsupp", List.of("ps_partkey", "ps_suppkey"), List.of("ps_partkey"),
          "ps_partkey", "BIGINT", "ps_suppkey", "BIGINT", "ps_availqty", "INTEGER", "ps_supplycost", "DECIMAL(15,2)",
          "ps_comment", "VARCHAR(199)"),
      table("customer", List.of("c_custkey"), List.of("c_custkey"),
          "c_custkey", "BIGINT", "c_name", "VARCHAR(25)", "c_address", "VARCHAR(40)", "c_nationkey", "BIGINT",
          "c_phone", "VARCHAR(15)", "c_acctbal", "DECIMAL(15,2)", "c_mktsegment", "VARCHAR(10)", "c_comment", "VARCHAR(117)"),
      table("orders", List.of("o_orderkey"), List.of("o_orderkey", "o_orderdate"),
          "o_orderkey", "BIGINT", "o_custkey", "BIGINT", "o_orderstatus", "VARCHAR(1)", "o_totalprice", "DECIMAL(15,2)",
          "o_orderdate", "DATE", "o_orderpriority", "VARCHAR(15)", "o_clerk", "VARCHAR(15)", "o_shippriority", "INTEGER",
          "o_comment", "VARCHAR(79)"),
      table("lineitem", List.of("l_orderkey", "l_linenumber"), List.of("l_orderkey", "l_shipdate"),
          "l_orderkey", "BIGINT", "l_partkey", "BIGINT", "l_suppkey", "BIGINT", "l_linenumber", "INTEGER",
          "l_quantity", "DECIMAL(15,2)", "l_extendedprice", "DECIMAL(15,2)", "l_discount", "DECIMAL(15,2)",
          "l_tax", "DECIMAL(15,2)", "l_returnflag", "VARCHAR(1)", "l_linestatus", "VARCHAR(1)", "l_shipdate", "DATE",
          "l_commitdate", "DATE", "l_receiptdate", "DATE", "l_shipinstruct", "VARCHAR(25)", "l_shipmode", "VARCHAR(10)",
          "l_comment", "VARCHAR(44)"));

  /**
   * Co-located tables: the TPC-H generator splits an order with its line items, and a part with its
   * part-supplier rows, into the same slice, so joins on those keys run inside each peer.
   */
  private static final Map<String, Map<String, String>> COLOCATION = Map.of(
      "orders", Map.of("group", "order", "column", "o_orderkey"),
      "lineitem", Map.of("group", "order", "column", "l_orderkey"),
      "part", Map.of("group", "part", "column", "p_partkey"),
      "partsupp", Map.of("group", "part", "column", "ps_partkey"));

  private final String baseUrl;
  private final String providerUser;
  private final String providerPassword;

  /** Creates a DemoBootstrapSetup against the bootstrap at {@code baseUrl}. */
  DemoBootstrapSetup(String baseUrl, String providerUser, String providerPassword) {
    this.baseUrl = requireNonNull(baseUrl, "baseUrl is null");
    this.providerUser = requireNonNull(providerUser, "providerUser is null");
    this.providerPassword = requireNonNull(providerPassword, "providerPassword is null");
  }

  /** A company of the demo, with its admin's login. */
  record Company(String name, String adminUser, String adminPassword) {
  }

  /** A peer to create for {@code company}. */
  record PeerSpec(String name, Company company) {
  }

  /** Prepares everything and returns each peer's bootstrap secret, by peer name. */
  Map<String, String> prepare(List<PeerSpec> peers) throws IOException, InterruptedException {
    var companies = peers.stream().map(PeerSpec::company).distinct().toList();
    for (var company : companies) {
      expect(send(asProvider(), "POST", "/api/companies", Map.of("name", company.name(),
          "displayName", "Demo " + company.name(), "contactEmail", "admin@" + company.name() + ".example",
          "admin", Map.of("username", company.adminUser(), "password", company.adminPassword()))), 201, 409);
    }
    expect(send(asProvider(), "POST", "/api/networks", Map.of("name", NETWORK,
        "description", "PeerSQL demo network over TPC-H", "owner", companies.getFirst().name())), 201, 409);
    for (var company : companies) {
      expect(send(as(company), "PUT", "/api/networks/" + NETWORK + "/members/" + company.name(), null), 200);
    }
    ensureSchema();
    ensureRole();
    for (var company : companies) {
      ensureGrant(company);
    }
    var secrets = new LinkedHashMap<String, String>();
    for (var peer : peers) {
      var created = send(as(peer.company()), "POST", "/api/networks/" + NETWORK + "/peers",
          Map.of("name", peer.name()));
      if (created.statusCode() == 409) {
        created = send(as(peer.company()), "POST", "/api/peers/" + peer.name() + "/credentials", null);
      }
      secrets.put(peer.name(), json(expect(created, 200, 201)).path("secret").asText());
    }
    return secrets;
  }

  private void ensureSchema() throws IOException, InterruptedException {
    var tables = new ArrayList<Map<String, Object>>();
    for (var table : TPCH) {
      var columns = new ArrayList<Map<String, Object>>();
      var spec = table.get(3);
      for (int i = 0; i < spec.size(); i += 2) {
        // TPC-H columns are all NOT NULL; saying so lets the planner count rows once where it
        // would count each column's non-null values.
        columns.add(Map.of("name", spec.get(i), "type", spec.get(i + 1), "nullable", false));
      }
      var name = table.get(0).getFirst();
      var definition = new LinkedHashMap<String, Object>(Map.of("name", name, "columns", columns,
          "primaryKey", table.get(1), "rangeIndexed", table.get(2)));
      if (COLOCATION.containsKey(name)) {
        definition.put("colocation", COLOCATION.get(name));
      }
      tables.add(definition);
    }
    var path = "/api/networks/" + NETWORK + "/schema";
    var current = send(asProvider(), "GET", path, null);
    var headers = new ArrayList<>(asProvider());
    if (expect(current, 200, 404).statusCode() == 200) {
      headers.add("If-Match");
      headers.add(current.headers().firstValue("ETag").orElseThrow());
    }
    var put = expect(send(headers, "PUT", path, Map.of("tables", tables)), 200, 201, 422);
    if (put.statusCode() == 422) {
      // A data directory made by an older demo whose schema cannot change into this one (columns
      // declared nullable there cannot become NOT NULL): keep the schema the peers hold data for.
      System.out.println("keeping the network's existing global schema: " + put.body());
    }
  }

  private void ensureRole() throws IOException, InterruptedException {
    var path = "/api/networks/" + NETWORK + "/roles/" + ROLE;
    if (expect(send(asProvider(), "GET", path, null), 200, 404).statusCode() == 404) {
      expect(send(asProvider(), "PUT", path, Map.of("description", "Business analysts of member companies")), 201);
    }
  }

  private void ensureGrant(Company company) throws IOException, InterruptedException {
    var path = "/api/networks/" + NETWORK + "/grants/" + company.name() + "/" + ROLE;
    if (expect(send(as(company), "GET", path, null), 200, 404).statusCode() == 200) {
      return;
    }
    var rules = TPCH.stream().map(table -> {
      var columns = new ArrayList<String>();
      for (int i = 0; i < table.get(3).size(); i += 2) {
        columns.add(table.get(3).get(i));
      }
      return Map.of("table", table.get(0).getFirst(), "columns", columns);
    }).toList();
    expect(send(as(company), "PUT", path, Map.of("tables", rules)), 201);
  }

  private static List<List<String>> table(String name, List<String> key, List<String> indexed, String... columns) {
    return List.of(List.of(name), key, indexed, List.of(columns));
  }

  private List<String> asProvider() {
    return basic(providerUser, providerPassword);
  }

  private static List<String> as(Company company) {
    return basic(company.adminUser(), company.adminPassword());
  }

  private static List<String> basic(String user, String password) {
    return List.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  private HttpResponse<String> send(List<String> headers, String method, String path, Object body)
      throws IOException, InterruptedException {
    var request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(30))
        .headers(headers.toArray(String[]::new))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> expect(HttpResponse<String> response, int... statuses) {
    for (int status : statuses) {
      if (response.statusCode() == status) {
        return response;
      }
    }
    throw new IllegalStateException("The bootstrap service answered " + response.request().method() + " "
        + response.uri().getPath() + " with " + response.statusCode() + ": " + response.body());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }
}
