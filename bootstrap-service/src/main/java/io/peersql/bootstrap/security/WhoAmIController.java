package io.peersql.bootstrap.security;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Tells a logged-in admin who the service takes them for; the portal starts here. */
@RestController
@Tag(name = "me")
class WhoAmIController {

  private final CompanyNames companyNames;

  WhoAmIController(CompanyNames companyNames) {
    this.companyNames = companyNames;
  }

  /** The caller: username, kind and company. */
  record Me(String username, AccountKind kind, String company) {
  }

  @GetMapping("/api/me")
  @Operation(summary = "Who the credentials belong to")
  Me me(@AuthenticationPrincipal AccountPrincipal caller) {
    var actor = caller.actor();
    return new Me(actor.username(), actor.kind(),
        actor.companyId() == null ? null : companyNames.nameOf(actor.companyId()));
  }
}
