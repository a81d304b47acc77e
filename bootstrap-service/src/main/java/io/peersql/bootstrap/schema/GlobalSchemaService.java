package io.peersql.bootstrap.schema;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peersql.bootstrap.events.NetworkEventKind;
import io.peersql.bootstrap.events.NetworkEvents;
import io.peersql.bootstrap.networks.Network;
import io.peersql.bootstrap.networks.NetworkService;
import io.peersql.bootstrap.security.Actor;
import io.peersql.bootstrap.web.ApiProblem;
import io.peersql.bootstrap.web.Versions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps each network's global schema as a series of versions: a compatible change becomes the
 * next version, an incompatible one is refused with the reasons.
 */
@Service
public class GlobalSchemaService {

  private final SchemaVersionRepository versions;
  private final NetworkService networks;
  private final NetworkEvents events;
  private final ObjectMapper json;
  private final Clock clock;

  /** Creates a GlobalSchemaService. */
  public GlobalSchemaService(SchemaVersionRepository versions, NetworkService networks, NetworkEvents events,
      ObjectMapper json, Clock clock) {
    this.versions = requireNonNull(versions, "versions is null");
    this.networks = requireNonNull(networks, "networks is null");
    this.events = requireNonNull(events, "events is null");
    this.json = requireNonNull(json, "json is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** The outcome of a change: the version now current, and whether the request created it. */
  public record Change(GlobalSchema schema, boolean created) {
  }

  /**
   * Makes {@code definition} the network's next schema version. The first version needs no
   * If-Match; later ones must name the current version. Submitting the current schema again
   * changes nothing.
   */
  @Transactional
  public Change change(String networkName, SchemaDefinition definition, String ifMatch, Actor caller) {
    var network = networks.require(networkName);
    networks.requireManager(network, caller);
    var problems = SchemaRules.problems(definition);
    if (!problems.isEmpty()) {
      throw ApiProblem.badRequest("invalid-schema", "The schema is not valid", problems);
    }
    var next = SchemaRules.normalize(definition);
    var current = versions.findFirstByNetworkIdOrderByNumberDesc(network.id());
    List<String> changes;
    if (current.isPresent()) {
      Versions.requireMatch(ifMatch, current.get().number(), "the global schema of network '" + networkName + "'");
      var comparison = SchemaRules.compare(read(current.get()), next);
      if (!comparison.refused().isEmpty()) {
        throw ApiProblem.unprocessable("incompatible-schema-change", "The change would break data that peers"
            + " hold; add tables, add nullable columns or widen types instead", comparison.refused());
      }
      if (comparison.changes().isEmpty() && read(current.get()).equals(next)) {
        return new Change(view(network, current.get()), false);
      }
      changes = comparison.changes().isEmpty() ? List.of("reordered definitions") : comparison.changes();
    } else {
      changes = List.of("first version: " + next.tables().size() + " tables");
    }
    int number = current.map(version -> version.number() + 1).orElse(1);
    var saved = versions.save(new SchemaVersion(null, network.id(), number, write(next), write(changes),
        caller.username(), clock.instant()));
    events.record(network.id(), NetworkEventKind.SCHEMA_CHANGED, null, null,
        "Global schema version " + number + ": " + String.join("; ", changes));
    return new Change(view(network, saved), true);
  }

  /** The network's current schema, if it has one. */
  @Transactional(readOnly = true)
  public Optional<GlobalSchema> current(Network network) {
    return versions.findFirstByNetworkIdOrderByNumberDesc(network.id()).map(version -> view(network, version));
  }

  /** The network's current schema, or 404. */
  @Transactional(readOnly = true)
  public GlobalSchema requireCurrent(Network network) {
    return current(network).orElseThrow(() -> ApiProblem.notFound("Network '" + network.name()
        + "' has no global schema yet"));
  }

  /** One version of the network's schema, or 404. */
  @Transactional(readOnly = true)
  public GlobalSchema version(Network network, int number) {
    return versions.findByNetworkIdAndNumber(network.id(), number).map(version -> view(network, version))
        .orElseThrow(() -> ApiProblem.notFound("Network '" + network.name() + "' has no schema version " + number));
  }

  /** The network's schema versions. */
  @Transactional(readOnly = true)
  public Page<GlobalSchema> versions(Network network, Pageable pageable) {
    return versions.findByNetworkId(network.id(), pageable).map(version -> view(network, version));
  }

  private GlobalSchema view(Network network, SchemaVersion version) {
    try {
      List<String> changes = json.readValue(version.changes(), new TypeReference<>() { });
      return new GlobalSchema(network.name(), version.number(), version.createdBy(), version.createdAt(), changes,
          read(version).tables());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored schema version " + version.id() + " is not readable", e);
    }
  }

  private SchemaDefinition read(SchemaVersion version) {
    try {
      return json.readValue(version.document(), SchemaDefinition.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored schema version " + version.id() + " is not readable", e);
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
