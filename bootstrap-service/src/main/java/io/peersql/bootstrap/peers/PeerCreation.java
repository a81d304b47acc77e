package io.peersql.bootstrap.peers;

import io.peersql.bootstrap.web.Names;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A request to create a peer in a network.
 *
 * @param name unique peer name, also its login
 * @param company the owning company: implied for a company admin; required for the provider
 */
public record PeerCreation(
    @NotBlank @Size(max = 64) @Pattern(regexp = Names.PATTERN, message = Names.MESSAGE) String name,
    @Size(max = 64) String company) {
}
