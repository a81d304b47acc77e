package io.peersql.bootstrap.roles;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * What one company lets one role see of its own data: {@code rules} is the JSON of a list of
 * {@link GrantDefinition.TableRule}s. Enforced by the company's peer, not here.
 */
@Table
record RoleGrant(@Id Long id, long networkId, long companyId, long roleId, String rules, Instant updatedAt,
    @Version Long version) {
}
