package io.peersql.bootstrap.schema;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A global schema as sent and stored: its tables.
 *
 * @param tables the tables, each with its columns, primary key and range-indexed columns
 */
public record SchemaDefinition(@NotNull @Size(max = 500) List<@NotNull @Valid Table> tables) {

  static final String IDENTIFIER = "[a-z][a-z0-9_]*";
  static final String IDENTIFIER_MESSAGE =
      "must start with a lower-case letter and hold only lower-case letters, digits and '_'";

  /**
   * One table of the global schema.
   *
   * @param name table name
   * @param columns columns in order
   * @param primaryKey the primary key's columns
   * @param rangeIndexed columns whose value ranges peers publish in the overlay's range index
   * @param colocation how the table's rows are placed with other tables' rows, or null
   */
  public record Table(
      @NotBlank @Size(max = 64) @Pattern(regexp = IDENTIFIER, message = IDENTIFIER_MESSAGE) String name,
      @NotEmpty @Size(max = 500) List<@NotNull @Valid Column> columns,
      @NotEmpty @Size(max = 32) List<@NotBlank String> primaryKey,
      @Size(max = 500) List<@NotBlank String> rangeIndexed,
      @Valid Colocation colocation) {

    /** Creates a Table; no range-indexed columns when none are given. */
    public Table {
      rangeIndexed = rangeIndexed == null ? List.of() : rangeIndexed;
    }

    /** Creates a Table without a co-location declaration. */
    public Table(String name, List<Column> columns, List<String> primaryKey, List<String> rangeIndexed) {
      this(name, columns, primaryKey, rangeIndexed, null);
    }

    /** The named column, or null. */
    public Column column(String name) {
      return columns.stream().filter(column -> column.name().equals(name)).findFirst().orElse(null);
    }
  }

  /**
   * A promise, made by the network's companies, that rows of the tables of one group that agree
   * on their co-location columns are always held by the same peer (for example an order and its
   * line items: {@code group "order"}, columns {@code o_orderkey} and {@code l_orderkey}). The
   * query engine then runs equi-joins on those columns inside each peer. Peers do not check it.
   *
   * @param group name of the co-location group
   * @param column the table's column that decides where a row is held
   */
  public record Colocation(
      @NotBlank @Size(max = 64) @Pattern(regexp = IDENTIFIER, message = IDENTIFIER_MESSAGE) String group,
      @NotBlank @Size(max = 64) String column) {
  }

  /**
   * One column.
   *
   * @param name column name
   * @param type SQL type, such as {@code BIGINT}, {@code VARCHAR(25)}, {@code DECIMAL(15,2)}
   * @param nullable whether it may hold NULL; true when not given, false for primary-key columns
   */
  public record Column(
      @NotBlank @Size(max = 64) @Pattern(regexp = IDENTIFIER, message = IDENTIFIER_MESSAGE) String name,
      @NotBlank @Size(max = 40) String type,
      Boolean nullable) {

    /** Creates a Column; nullable when not said otherwise. */
    public Column {
      nullable = nullable == null ? Boolean.TRUE : nullable;
    }
  }

  /** The named table, or null. */
  public Table table(String name) {
    return tables.stream().filter(table -> table.name().equals(name)).findFirst().orElse(null);
  }
}
