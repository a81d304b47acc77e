package io.peersql.bootstrap.security;

import java.util.List;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;

/** The authenticated principal: Spring Security's user details plus the {@link Actor} it stands for. */
public final class AccountPrincipal extends User {

  private final Actor actor;

  AccountPrincipal(Actor actor, String passwordHash, boolean enabled) {
    super(actor.username(), passwordHash, enabled, true, true, true,
        List.of(new SimpleGrantedAuthority("ROLE_" + actor.kind().name())));
    this.actor = actor;
  }

  public Actor actor() {
    return actor;
  }
}
