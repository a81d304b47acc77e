package io.peersql.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * The URL and properties of a Calcite connection that plans SQL over one peer's local store.
 *
 * <p>The store is exposed as a Calcite {@code JdbcSchema} named {@value #SCHEMA}, which is the
 * connection's default schema, so business users write {@code select ... from lineitem} without a
 * qualifier. Filters, projections and aggregates are pushed into the store by Calcite's JDBC
 * adapter. {@link DistributedEngine} serves the whole network's data with the same connection shape.
 */
public final class CalciteConnectionSpec implements io.peersql.query.jdbc.CalciteConnections {

  /** The schema under which the shared tables appear to business users. */
  public static final String SCHEMA = "PEERSQL";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalStore store;

  /** Creates a CalciteConnectionSpec over the given local store. */
  public CalciteConnectionSpec(LocalStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  /** The JDBC URL for {@link java.sql.DriverManager}. */
  public String url() {
    return "jdbc:calcite:";
  }

  /** The connection properties: an inline model with the store's schema, and the SQL dialect. */
  public Properties properties() {
    var properties = new Properties();
    properties.setProperty("model", "inline:" + modelJson());
    // Standard SQL rules for business users; names match whatever case the store uses
    // (H2 stores upper case, PostgreSQL lower case).
    properties.setProperty("lex", "ORACLE");
    properties.setProperty("caseSensitive", "false");
    properties.setProperty("fun", "standard");
    return properties;
  }

  /** Opens a connection over the local store; the user and role do not change what it sees. */
  @Override
  public java.sql.Connection open(String user, String role) throws java.sql.SQLException {
    return new org.apache.calcite.jdbc.Driver().connect(url(), properties());
  }

  String modelJson() {
    Map<String, Object> schema = Map.of(
        "name", SCHEMA,
        "type", "custom",
        "factory", "org.apache.calcite.adapter.jdbc.JdbcSchema$Factory",
        "operand", Map.of(
            "jdbcUrl", store.jdbcUrl(),
            "jdbcUser", store.user(),
            "jdbcPassword", store.password(),
            "jdbcSchema", store.schema()));
    Map<String, Object> model = Map.of(
        "version", "1.0",
        "defaultSchema", SCHEMA,
        "schemas", List.of(schema));
    try {
      return JSON.writeValueAsString(model);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the Calcite model", e);
    }
  }
}
