package io.peersql.bootstrap.networks;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A company's membership of a network. */
@Table
record NetworkMember(@Id Long id, long networkId, long companyId, Instant joinedAt) {
}
