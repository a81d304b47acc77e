package io.peersql.bootstrap.networks;

import io.peersql.bootstrap.web.Names;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A request to create a network.
 *
 * @param name short unique name
 * @param description what the network is for
 * @param owner the owning company's name: implied for a company admin (its own company);
 *     optional for the provider (no owner: only the provider manages schema and roles)
 */
public record NetworkCreation(
    @NotBlank @Size(max = 64) @Pattern(regexp = Names.PATTERN, message = Names.MESSAGE) String name,
    @Size(max = 1000) String description,
    @Size(max = 64) String owner) {
}
