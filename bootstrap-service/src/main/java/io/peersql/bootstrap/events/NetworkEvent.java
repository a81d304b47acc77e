package io.peersql.bootstrap.events;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * One recorded event of a network, for its admins to read.
 *
 * @param id surrogate key, increasing with time
 * @param networkId the network
 * @param kind what happened
 * @param company the company concerned, if any
 * @param peer the peer concerned, if any
 * @param detail a sentence for people
 * @param occurredAt when
 */
@Table
public record NetworkEvent(@Id Long id, long networkId, NetworkEventKind kind, String company, String peer,
    String detail, Instant occurredAt) {
}
