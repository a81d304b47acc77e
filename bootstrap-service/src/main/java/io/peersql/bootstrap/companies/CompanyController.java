package io.peersql.bootstrap.companies;

import io.peersql.bootstrap.security.AccountPrincipal;
import io.peersql.bootstrap.web.PageRequestParams;
import io.peersql.bootstrap.web.PageView;
import io.peersql.bootstrap.web.Versions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Companies over REST. */
@RestController
@RequestMapping("/api/companies")
@Tag(name = "companies", description = "Registration, approval and deactivation of companies")
class CompanyController {

  private final CompanyService companies;

  CompanyController(CompanyService companies) {
    this.companies = companies;
  }

  @PostMapping
  @Operation(summary = "Register a company with its admin account",
      description = "Public: a self-registered company is PENDING until the provider approves it. "
          + "Registered by the provider, it is APPROVED at once.")
  ResponseEntity<CompanyView> register(@Valid @RequestBody CompanyRegistration registration,
      @AuthenticationPrincipal AccountPrincipal caller) {
    var company = companies.register(registration, caller == null ? null : caller.actor());
    return ResponseEntity.status(HttpStatus.CREATED)
        .header(HttpHeaders.LOCATION, "/api/companies/" + company.name())
        .eTag(Versions.etag(company.version()))
        .body(CompanyView.of(company));
  }

  @GetMapping
  @Operation(summary = "List companies: all for the provider, its own for a company admin")
  PageView<CompanyView> list(@Valid PageRequestParams paging, @RequestParam(required = false) CompanyState state,
      @AuthenticationPrincipal AccountPrincipal caller) {
    return PageView.of(companies.list(caller.actor(), state, paging.toPageable(Sort.by("name"))), CompanyView::of);
  }

  @GetMapping("/{name}")
  ResponseEntity<CompanyView> get(@PathVariable String name, @AuthenticationPrincipal AccountPrincipal caller) {
    var company = companies.find(name, caller.actor());
    return Versions.withEtag(CompanyView.of(company), company.version());
  }

  @PutMapping("/{name}")
  @Operation(summary = "Change a company's contact details", description = "Needs If-Match with the ETag of a GET.")
  ResponseEntity<CompanyView> update(@PathVariable String name, @Valid @RequestBody CompanyUpdate update,
      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
      @AuthenticationPrincipal AccountPrincipal caller) {
    var company = companies.update(name, update, ifMatch, caller.actor());
    return Versions.withEtag(CompanyView.of(company), company.version());
  }

  @PostMapping("/{name}/approval")
  @Operation(summary = "Approve a pending company (provider only)")
  ResponseEntity<CompanyView> approve(@PathVariable String name, @AuthenticationPrincipal AccountPrincipal caller) {
    var company = companies.approve(name, caller.actor());
    return Versions.withEtag(CompanyView.of(company), company.version());
  }

  @PostMapping("/{name}/deactivation")
  @Operation(summary = "Deactivate a company: disables its accounts, retires its peers, leaves its networks")
  ResponseEntity<CompanyView> deactivate(@PathVariable String name,
      @AuthenticationPrincipal AccountPrincipal caller) {
    var company = companies.deactivate(name, caller.actor());
    return Versions.withEtag(CompanyView.of(company), company.version());
  }
}
