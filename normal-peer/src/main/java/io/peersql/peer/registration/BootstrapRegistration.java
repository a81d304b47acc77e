package io.peersql.peer.registration;

import io.peersql.peer.PeerProperties;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.peersql.peer.overlay.OverlayMembership;
import io.peersql.peer.schema.GlobalSchema;
import io.peersql.peer.schema.SchemaFollower;
import java.util.List;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Keeps the peer known to the bootstrap service: registers once the peer is ready (its data
 * loaded and its JDBC endpoint up), then heartbeats; registers again when the bootstrap says it
 * has not heard of this process yet, or was unreachable. Logs in with the peer's own
 * credentials ({@code peersql.peer.name} and {@code peersql.peer.bootstrap-secret}), which its
 * company's admin obtained from the bootstrap when creating the peer.
 */
@Component
class BootstrapRegistration {

  private static final Logger log = LoggerFactory.getLogger(BootstrapRegistration.class);

  private final PeerProperties peer;
  private final RestClient bootstrap;
  private final OverlayMembership overlay;
  private volatile String registeredOverlayAddress;
  private final SchemaFollower schema;
  private final AtomicBoolean registered = new AtomicBoolean();
  private volatile String address;

  BootstrapRegistration(PeerProperties peer, RestClient.Builder http, OverlayMembership overlay,
      SchemaFollower schema) {
    this.peer = peer;
    this.overlay = overlay;
    this.schema = schema;
    var client = http.baseUrl(peer.bootstrapUrl());
    if (peer.bootstrapSecret() != null && !peer.bootstrapSecret().isBlank()) {
      client.defaultHeaders(headers -> headers.setBasicAuth(peer.name(), peer.bootstrapSecret()));
    }
    this.bootstrap = client.build();
  }

  @EventListener
  void ready(ApplicationReadyEvent event) {
    var context = (WebServerApplicationContext) event.getApplicationContext();
    address = peer.advertisedAddress() != null
        ? peer.advertisedAddress()
        : "http://127.0.0.1:" + context.getWebServer().getPort();
    log.info("peer {} serves JDBC at jdbc:avatica:remote:url={}/avatica;serialization=PROTOBUF for user {}",
        peer.name(), address, peer.businessUser());
    if (peer.bootstrapSecret() == null || peer.bootstrapSecret().isBlank()) {
      log.warn("No peersql.peer.bootstrap-secret set: peer {} will not register with the bootstrap service"
          + " and forms an overlay of its own", peer.name());
      overlay.joinInBackground(address, List::of);
      address = null;
      return;
    }
    register();
  }

  @Scheduled(fixedDelayString = "${peersql.peer.heartbeat-interval:5s}")
  void heartbeat() {
    if (address == null) {
      return;
    }
    if (!registered.get()) {
      register();
      return;
    }
    try {
      var reply = bootstrap.put().uri("/api/peer/heartbeat").retrieve().body(Reply.class);
      followSchema(reply);
    } catch (HttpClientErrorException e) {
      if (e.getStatusCode() == HttpStatus.CONFLICT) {
        log.warn("The bootstrap service has no registration of peer {}; registering again", peer.name());
        registered.set(false);
        register();
      } else {
        log.warn("Heartbeat refused by the bootstrap service: {} {}", e.getStatusCode(),
            e.getResponseBodyAsString());
      }
    } catch (RestClientException e) {
      log.warn("Heartbeat to {} failed: {}", peer.bootstrapUrl(), e.getMessage());
    }
  }

  /**
   * The overlay node was started afresh (after it fenced itself): register again, so that the
   * access points the bootstrap hands out name its new address.
   */
  @EventListener
  void overlayJoined(OverlayMembership.OverlayJoined joined) {
    if (registered.get() && !joined.overlayAddress().equals(registeredOverlayAddress)) {
      registered.set(false);
    }
  }

  private void register() {
    try {
      var reply = bootstrap.post().uri("/api/peer/registration")
          .contentType(MediaType.APPLICATION_JSON)
          .body(overlay.overlayAddress()
              .map(overlayAddress -> Map.of("address", address, "overlayAddress", overlayAddress))
              .orElse(Map.of("address", address)))
          .retrieve()
          .body(Reply.class);
      registeredOverlayAddress = overlay.overlayAddress().orElse(null);
      registered.set(true);
      log.info("Registered with the bootstrap service at {} as {}", peer.bootstrapUrl(), peer.name());
      followSchema(reply);
      overlay.joinInBackground(address, this::accessPoints);
    } catch (HttpClientErrorException e) {
      log.error("The bootstrap service refused to register peer {} ({}): {}", peer.name(), e.getStatusCode(),
          e.getResponseBodyAsString());
    } catch (RestClientException e) {
      log.warn("Cannot reach the bootstrap service at {} ({}); will retry", peer.bootstrapUrl(),
          e.getMessage());
    }
  }

  /** The overlay addresses of the network's other active peers, as the bootstrap lists them. */
  private List<OverlayMembership.AccessPoint> accessPoints() {
    var points = bootstrap.get().uri("/api/peer/access-points").retrieve()
        .body(new ParameterizedTypeReference<List<OverlayMembership.AccessPoint>>() { });
    return points == null ? List.of() : points;
  }

  private void followSchema(Reply reply) {
    if (reply != null) {
      schema.announced(reply.schemaVersion(), () -> bootstrap.get().uri("/api/peer/schema").retrieve()
          .body(GlobalSchema.class));
    }
  }

  /** The bootstrap's answer to a registration or heartbeat. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Reply(String state, int schemaVersion) {
  }
}
