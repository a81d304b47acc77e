package io.peersql.bootstrap.roles;

/** A role as the API shows it. */
public record RoleView(String name, String description, long version) {

  static RoleView of(NetworkRole role) {
    return new RoleView(role.name(), role.description(), role.version());
  }
}
