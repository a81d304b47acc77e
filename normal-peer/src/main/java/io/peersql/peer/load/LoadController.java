package io.peersql.peer.load;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The company admin's API for the schema mapping and for loads, with their progress. */
@RestController
class LoadController {

  private final MappingStore mappings;
  private final LoadService loads;

  LoadController(MappingStore mappings, LoadService loads) {
    this.mappings = mappings;
    this.loads = loads;
  }

  /** Stores the mapping, given as JSON or YAML text. */
  @PutMapping(path = "/api/mapping", consumes = {"application/json", "application/yaml", "text/yaml", "text/plain"})
  SchemaMapping putMapping(@RequestBody String text) {
    return masked(mappings.replace(text));
  }

  @GetMapping("/api/mapping")
  ResponseEntity<SchemaMapping> getMapping() {
    return mappings.current().map(LoadController::masked).map(ResponseEntity::ok)
        .orElse(ResponseEntity.notFound().build());
  }

  private static SchemaMapping masked(SchemaMapping mapping) {
    var source = mapping.source();
    var password = source.password() == null ? null : "******";
    return new SchemaMapping(new SchemaMapping.Source(source.jdbcUrl(), source.user(), password, source.csvDirectory()),
        mapping.tables());
  }

  @PostMapping("/api/loads")
  ResponseEntity<LoadJob> start(@RequestParam(defaultValue = "FULL") LoadMode mode) {
    var job = loads.start(mode);
    return ResponseEntity.accepted().location(URI.create("/api/loads/" + job.id())).body(job);
  }

  @GetMapping("/api/loads")
  List<LoadJob> recent() {
    return loads.recent();
  }

  @GetMapping("/api/loads/{id}")
  ResponseEntity<LoadJob> job(@PathVariable long id) {
    return loads.job(id).map(ResponseEntity::ok).orElse(ResponseEntity.notFound().build());
  }

  @DeleteMapping("/api/loads/{id}")
  ResponseEntity<Map<String, Object>> cancel(@PathVariable long id) {
    if (loads.job(id).isEmpty()) {
      return ResponseEntity.notFound().build();
    }
    return ResponseEntity.accepted().body(Map.of("id", id, "cancelling", loads.cancel(id)));
  }

  @ExceptionHandler(InvalidMappingException.class)
  ProblemDetail invalidMapping(InvalidMappingException e) {
    var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    problem.setProperty("problems", e.problems());
    return problem;
  }

  @ExceptionHandler(IllegalStateException.class)
  ProblemDetail conflict(IllegalStateException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
  }
}
