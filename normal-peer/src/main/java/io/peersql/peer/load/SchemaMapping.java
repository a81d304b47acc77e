package io.peersql.peer.load;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a company's own data becomes its share of the global schema: for each global table, where
 * its rows come from (a table or FROM clause of the company's production database, or a CSV
 * file), which local column or SQL expression fills each global column, which rows are shared
 * (a filter), and which column tells changed rows apart for incremental loads.
 *
 * <p>Written by the company admin as JSON or YAML, for example:
 * <pre>
 * source: { jdbcUrl: "jdbc:postgresql://erp/sales", user: reader, password: secret }
 * tables:
 *   - target: orders
 *     from: sales_order
 *     where: "status <> 'DRAFT'"
 *     watermark: updated_at
 *     columns:
 *       o_orderkey: order_id
 *       o_totalprice: "amount_cents / 100.0"
 * </pre>
 *
 * @param source where the company's data is read from
 * @param tables one entry per global table the company shares
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record SchemaMapping(Source source, List<TableMapping> tables) {

  /**
   * The company's data source: exactly one of a JDBC URL or a directory of CSV files.
   *
   * @param jdbcUrl JDBC URL of the production database
   * @param user its user
   * @param password its password
   * @param csvDirectory directory holding the CSV files named by {@code from}
   */
  public record Source(String jdbcUrl, String user, String password, String csvDirectory) {

    boolean isCsv() {
      return csvDirectory != null;
    }
  }

  /**
   * One global table filled from the company's data.
   *
   * @param target global table name
   * @param from source table (or FROM clause) for a JDBC source, file name for a CSV source
   * @param where optional row filter, an SQL predicate over the source (JDBC sources only)
   * @param watermark optional column whose growth marks changed rows (JDBC sources only)
   * @param columns global column to source column, or to an SQL expression (JDBC sources only)
   */
  public record TableMapping(String target, String from, String where, String watermark,
      Map<String, String> columns) {

    /** Creates a TableMapping keeping the declared column order. */
    public TableMapping {
      columns = columns == null ? Map.of() : new LinkedHashMap<>(columns);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Creates a SchemaMapping, refusing one that cannot work, with every problem in the message. */
  public SchemaMapping {
    tables = tables == null ? List.of() : List.copyOf(tables);
    var problems = new ArrayList<String>();
    if (source == null) {
      problems.add("'source' is missing: give either jdbcUrl or csvDirectory");
    } else if ((source.jdbcUrl() == null) == (source.csvDirectory() == null)) {
      problems.add("'source' needs exactly one of jdbcUrl or csvDirectory");
    }
    if (tables.isEmpty()) {
      problems.add("'tables' is empty: map at least one global table");
    }
    var targets = new HashSet<String>();
    for (int i = 0; i < tables.size(); i++) {
      var table = tables.get(i);
      var where = "tables[" + i + "]";
      if (table == null || blank(table.target())) {
        problems.add(where + ": 'target' (the global table) is missing");
        continue;
      }
      where = where + " (" + table.target() + ")";
      if (!targets.add(table.target().toLowerCase())) {
        problems.add(where + ": the global table is mapped twice");
      }
      if (blank(table.from())) {
        problems.add(where + ": 'from' (source table or file) is missing");
      }
      if (table.columns().isEmpty()) {
        problems.add(where + ": 'columns' is empty");
      }
      table.columns().forEach((column, expression) -> {
        if (blank(expression)) {
          problems.add("tables[" + table.target() + "].columns." + column + " has no source column");
        }
      });
      if (source != null && source.isCsv() && (table.where() != null || table.watermark() != null)) {
        problems.add(where + ": 'where' and 'watermark' need a JDBC source; a CSV file is loaded whole");
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidMappingException(problems);
    }
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  /** Reads a mapping written as JSON (text starting with '{') or YAML. */
  public static SchemaMapping parse(String text) {
    var trimmed = text.stripLeading();
    try {
      return (trimmed.startsWith("{") ? JSON : YAML).readValue(text, SchemaMapping.class);
    } catch (InvalidMappingException e) {
      throw e;
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof InvalidMappingException invalid) {
        throw invalid;
      }
      throw new InvalidMappingException(List.of("cannot read the mapping: " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new InvalidMappingException(List.of("cannot read the mapping: " + e.getMessage()));
    }
  }

  /** Writes the mapping as JSON. */
  public String toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The mapping of one global table, if any. */
  public TableMapping table(String target) {
    return tables.stream().filter(t -> t.target().equalsIgnoreCase(target)).findFirst()
        .orElseThrow(() -> new InvalidMappingException(List.of("the mapping has no table '" + target + "'")));
  }
}
