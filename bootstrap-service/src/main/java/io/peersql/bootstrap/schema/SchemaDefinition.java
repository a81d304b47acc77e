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
   */
  public record Table(
      @NotBlank @Size(max = 64) @Pattern(regexp = IDENTIFIER, message = IDENTIFIER_MESSAGE) String name,
      @NotEmpty @Size(max = 500) List<@NotNull @Valid Column> columns,
      @NotEmpty @Size(max = 32) List<@NotBlank String> primaryKey,
      @Size(max = 500) List<@NotBlank String> rangeIndexed) {

    /** Creates a Table; no range-indexed columns when none are given. */
    public Table {
      rangeIndexed = rangeIndexed == null ? List.of() : rangeIndexed;
    }

    /** The named column, or null. */
    public Column column(String name) {
      return columns.stream().filter(column -> column.name().equals(name)).findFirst().orElse(null);
    }
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
