package io.peersql.bootstrap.roles;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * What a company lets a role see of its own data: per table, which columns and which rows.
 * Tables not listed are not visible to the role at all.
 *
 * @param tables one rule per visible table
 */
public record GrantDefinition(@NotNull @Size(max = 500) List<@NotNull @Valid TableRule> tables) {

  /**
   * The part of one table a role may see.
   *
   * @param table a table of the global schema
   * @param columns the visible columns (at least one)
   * @param rowPredicate an SQL condition over the table's columns selecting the visible rows,
   *     such as {@code o_orderdate >= DATE '1995-01-01'}; all rows when absent
   */
  public record TableRule(
      @NotBlank @Size(max = 64) String table,
      @NotEmpty @Size(max = 500) List<@NotBlank String> columns,
      @Size(max = 2000) @Pattern(regexp = "[^;]*", message = "must be one SQL condition, without ';'")
      String rowPredicate) {
  }
}
