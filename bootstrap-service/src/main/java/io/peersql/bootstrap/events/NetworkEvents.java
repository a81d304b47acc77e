package io.peersql.bootstrap.events;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Records what happens in networks, in the transaction of the change itself, and reads it back. */
@Service
public class NetworkEvents {

  private static final Logger log = LoggerFactory.getLogger(NetworkEvents.class);

  private final NetworkEventRepository events;
  private final Clock clock;

  /** Creates NetworkEvents over the stored events. */
  public NetworkEvents(NetworkEventRepository events, Clock clock) {
    this.events = requireNonNull(events, "events is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Records an event; part of the caller's transaction, so it is kept only if the change is. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void record(long networkId, NetworkEventKind kind, String company, String peer, String detail) {
    log.info("network {} {}: {}", networkId, kind, detail);
    events.save(new NetworkEvent(null, networkId, kind, company, peer, detail, clock.instant()));
  }

  /** A network's events, newest first, optionally of one kind. */
  @Transactional(readOnly = true)
  public Page<NetworkEvent> list(long networkId, NetworkEventKind kind, Pageable pageable) {
    return kind == null ? events.findByNetworkId(networkId, pageable)
        : events.findByNetworkIdAndKind(networkId, kind, pageable);
  }
}
