package io.peersql.bootstrap.schema;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * One immutable version of a network's global schema.
 *
 * @param id surrogate key
 * @param networkId the network
 * @param number 1 for the first version, one more for each change
 * @param document the {@link SchemaDefinition} as JSON
 * @param changes what changed from the version before, a JSON list of sentences
 * @param createdBy who made the change
 * @param createdAt when
 */
@Table
record SchemaVersion(@Id Long id, long networkId, int number, String document, String changes, String createdBy,
    Instant createdAt) {
}
