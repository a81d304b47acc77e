package io.peersql.bootstrap.roles;

import io.peersql.bootstrap.security.AccountPrincipal;
import io.peersql.bootstrap.web.Names;
import io.peersql.bootstrap.web.Versions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Roles of a network and companies' grants to them over REST. */
@RestController
@RequestMapping("/api/networks/{network}")
@Tag(name = "roles", description = "Roles per network; what each company lets each role see of its data")
class RoleController {

  private final RoleService roles;

  RoleController(RoleService roles) {
    this.roles = roles;
  }

  @GetMapping("/roles")
  List<RoleView> roles(@PathVariable String network, @AuthenticationPrincipal AccountPrincipal caller) {
    return roles.roles(network, caller.actor());
  }

  @GetMapping("/roles/{role}")
  ResponseEntity<RoleView> role(@PathVariable String network, @PathVariable String role,
      @AuthenticationPrincipal AccountPrincipal caller) {
    var found = roles.role(network, role, caller.actor());
    return Versions.withEtag(found, found.version());
  }

  @PutMapping("/roles/{role}")
  @Operation(summary = "Define a role, or change its description (If-Match needed)",
      description = "By the provider or an admin of the network's owner.")
  ResponseEntity<RoleView> defineRole(@PathVariable String network,
      @PathVariable @Size(max = 64) @Pattern(regexp = Names.PATTERN, message = Names.MESSAGE) String role,
      @Valid @RequestBody RoleDefinition definition,
      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
      @AuthenticationPrincipal AccountPrincipal caller) {
    var saved = roles.defineRole(network, role, definition, ifMatch, caller.actor());
    return ResponseEntity.status(saved.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .eTag(Versions.etag(saved.value().version())).body(saved.value());
  }

  @DeleteMapping("/roles/{role}")
  ResponseEntity<Void> deleteRole(@PathVariable String network, @PathVariable String role,
      @AuthenticationPrincipal AccountPrincipal caller) {
    roles.deleteRole(network, role, caller.actor());
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/grants")
  @Operation(summary = "Grants in the network: all for the provider, its own company's for an admin")
  List<GrantView> grants(@PathVariable String network, @AuthenticationPrincipal AccountPrincipal caller) {
    return roles.grants(network, caller.actor());
  }

  @GetMapping("/grants/{company}/{role}")
  ResponseEntity<GrantView> grant(@PathVariable String network, @PathVariable String company,
      @PathVariable String role, @AuthenticationPrincipal AccountPrincipal caller) {
    var found = roles.grantOf(network, company, role, caller.actor());
    return Versions.withEtag(found, found.version());
  }

  @PutMapping("/grants/{company}/{role}")
  @Operation(summary = "Set what a company lets a role see of its data (tables, columns, row predicate)",
      description = "By the company's admin or the provider. Replacing an existing grant needs If-Match.")
  ResponseEntity<GrantView> setGrant(@PathVariable String network, @PathVariable String company,
      @PathVariable String role, @Valid @RequestBody GrantDefinition definition,
      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
      @AuthenticationPrincipal AccountPrincipal caller) {
    var saved = roles.grant(network, company, role, definition, ifMatch, caller.actor());
    return ResponseEntity.status(saved.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .eTag(Versions.etag(saved.value().version())).body(saved.value());
  }

  @DeleteMapping("/grants/{company}/{role}")
  ResponseEntity<Void> revoke(@PathVariable String network, @PathVariable String company,
      @PathVariable String role, @AuthenticationPrincipal AccountPrincipal caller) {
    roles.revoke(network, company, role, caller.actor());
    return ResponseEntity.noContent().build();
  }
}
