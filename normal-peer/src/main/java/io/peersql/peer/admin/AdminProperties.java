package io.peersql.peer.admin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The company admin's account on the peer's own API ({@code /api/...}: mapping, loads).
 * Without a password the admin API is closed.
 *
 * @param user admin user name ({@code PEERSQL_PEER_ADMIN_USER})
 * @param password admin password ({@code PEERSQL_PEER_ADMIN_PASSWORD}); none by default
 */
@ConfigurationProperties("peersql.peer.admin")
public record AdminProperties(@DefaultValue("admin") String user, String password) {
}
