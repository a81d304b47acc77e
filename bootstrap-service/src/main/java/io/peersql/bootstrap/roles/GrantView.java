package io.peersql.bootstrap.roles;

import java.time.Instant;
import java.util.List;

/** A company's grant to a role as the API shows it; {@code version} is the ETag. */
public record GrantView(String network, String company, String role, List<GrantDefinition.TableRule> tables,
    Instant updatedAt, long version) {
}
