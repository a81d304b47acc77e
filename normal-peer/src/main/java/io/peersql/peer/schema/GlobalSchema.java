package io.peersql.peer.schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A version of the network's global schema as the bootstrap hands it to peers.
 *
 * @param version the version number
 * @param tables the tables
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GlobalSchema(int version, List<Table> tables) {

  /**
   * One global table.
   *
   * @param name table name (lower case)
   * @param columns columns in order
   * @param primaryKey primary-key columns
   * @param rangeIndexed columns whose value ranges the peer publishes in the overlay
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Table(String name, List<Column> columns, List<String> primaryKey, List<String> rangeIndexed) {

    public Table {
      primaryKey = primaryKey == null ? List.of() : List.copyOf(primaryKey);
      rangeIndexed = rangeIndexed == null ? List.of() : List.copyOf(rangeIndexed);
    }
  }

  /**
   * One column.
   *
   * @param name column name (lower case)
   * @param type SQL type such as {@code BIGINT}, {@code VARCHAR(25)}, {@code DECIMAL(15,2)}
   * @param nullable whether it may hold NULL
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Column(String name, String type, Boolean nullable) {
  }
}
