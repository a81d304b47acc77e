package io.peersql.bootstrap.networks;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A change of a network's description. */
public record NetworkUpdate(@NotNull @Size(max = 1000) String description) {
}
