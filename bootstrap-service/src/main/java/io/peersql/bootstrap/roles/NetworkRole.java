package io.peersql.bootstrap.roles;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A role defined for a whole network, such as {@code analyst} or {@code partner}; each company
 * decides with a {@link RoleGrant} what the role may see of its data.
 */
@Table
record NetworkRole(@Id Long id, long networkId, String name, String description, @Version Long version) {
}
