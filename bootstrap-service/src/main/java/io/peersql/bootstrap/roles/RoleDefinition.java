package io.peersql.bootstrap.roles;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A role's definition: what it is for. */
public record RoleDefinition(@NotNull @Size(max = 1000) String description) {
}
