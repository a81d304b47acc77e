package io.peersql.bootstrap.schema;

import io.peersql.bootstrap.networks.NetworkService;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A network's global schema and its versions over REST. */
@RestController
@RequestMapping("/api/networks/{network}/schema")
@Tag(name = "schema", description = "Global schemas: tables, columns, keys, range indexes, versions")
class GlobalSchemaController {

  private final GlobalSchemaService schemas;
  private final NetworkService networks;

  GlobalSchemaController(GlobalSchemaService schemas, NetworkService networks) {
    this.schemas = schemas;
    this.networks = networks;
  }

  @GetMapping
  @Operation(summary = "The current global schema; its ETag is its version")
  ResponseEntity<GlobalSchema> current(@PathVariable String network, @AuthenticationPrincipal AccountPrincipal caller) {
    var found = networks.require(network);
    networks.requireVisible(found, caller.actor());
    var schema = schemas.requireCurrent(found);
    return Versions.withEtag(schema, schema.version());
  }

  @PutMapping
  @Operation(summary = "Change the global schema",
      description = "Creates the first version (201), or the next one (200, needs If-Match with the current "
          + "version). Compatible changes only: add tables, add nullable columns, widen types, change range "
          + "indexes; anything else is refused with 422 and the reasons.")
  ResponseEntity<GlobalSchema> change(@PathVariable String network, @Valid @RequestBody SchemaDefinition definition,
      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
      @AuthenticationPrincipal AccountPrincipal caller) {
    var change = schemas.change(network, definition, ifMatch, caller.actor());
    return ResponseEntity.status(change.created() && change.schema().version() == 1 ? HttpStatus.CREATED : HttpStatus.OK)
        .eTag(Versions.etag(change.schema().version()))
        .body(change.schema());
  }

  @GetMapping("/versions")
  @Operation(summary = "Every version of the global schema, newest first")
  PageView<GlobalSchema> versions(@PathVariable String network, @Valid PageRequestParams paging,
      @AuthenticationPrincipal AccountPrincipal caller) {
    var found = networks.require(network);
    networks.requireVisible(found, caller.actor());
    return PageView.of(schemas.versions(found, paging.toPageable(Sort.by(Sort.Direction.DESC, "number"))),
        schema -> schema);
  }

  @GetMapping("/versions/{version}")
  ResponseEntity<GlobalSchema> version(@PathVariable String network, @PathVariable int version,
      @AuthenticationPrincipal AccountPrincipal caller) {
    var found = networks.require(network);
    networks.requireVisible(found, caller.actor());
    return Versions.withEtag(schemas.version(found, version), version);
  }
}
