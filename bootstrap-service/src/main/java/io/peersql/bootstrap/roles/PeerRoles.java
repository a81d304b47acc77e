package io.peersql.bootstrap.roles;

import java.util.List;

/**
 * What a peer fetches to enforce access rules: the network's roles, and what its own company
 * lets each role see.
 */
public record PeerRoles(List<RoleView> roles, List<GrantView> grants) {
}
