package io.peersql.bootstrap.networks;

import java.time.Instant;
import java.util.List;

/**
 * A network as the API shows it.
 *
 * @param name the network's name
 * @param description what it is for
 * @param owner the owning company's name, or null
 * @param members names of the member companies, in order of joining
 * @param createdAt when it was created
 * @param version its version, the ETag
 */
public record NetworkView(String name, String description, String owner, List<String> members, Instant createdAt,
    long version) {
}
