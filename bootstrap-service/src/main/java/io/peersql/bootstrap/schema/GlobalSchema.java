package io.peersql.bootstrap.schema;

import java.time.Instant;
import java.util.List;

/**
 * One version of a network's global schema, as the API shows it and peers fetch it.
 *
 * @param network the network's name
 * @param version the version number, also the ETag
 * @param createdBy who made this version
 * @param createdAt when
 * @param changes what changed from the version before
 * @param tables the tables
 */
public record GlobalSchema(String network, int version, String createdBy, Instant createdAt, List<String> changes,
    List<SchemaDefinition.Table> tables) {
}
