package io.peersql.peer.registration;

import io.peersql.peer.PeerProperties;
import java.util.Map;
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
 * loaded and its JDBC endpoint up), then heartbeats; registers again when the bootstrap has
 * forgotten it or was unreachable.
 */
@Component
class BootstrapRegistration {

  private static final Logger log = LoggerFactory.getLogger(BootstrapRegistration.class);

  private final PeerProperties peer;
  private final RestClient bootstrap;
  private final AtomicBoolean registered = new AtomicBoolean();
  private volatile String address;

  BootstrapRegistration(PeerProperties peer, RestClient.Builder http) {
    this.peer = peer;
    this.bootstrap = http.baseUrl(peer.bootstrapUrl()).build();
  }

  @EventListener
  void ready(ApplicationReadyEvent event) {
    var context = (WebServerApplicationContext) event.getApplicationContext();
    address = peer.advertisedAddress() != null
        ? peer.advertisedAddress()
        : "http://127.0.0.1:" + context.getWebServer().getPort();
    log.info("peer {} serves JDBC at jdbc:avatica:remote:url={}/avatica;serialization=PROTOBUF for user {}",
        peer.name(), address, peer.businessUser());
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
      bootstrap.put().uri("/api/peers/{name}/heartbeat", peer.name()).retrieve().toBodilessEntity();
    } catch (HttpClientErrorException e) {
      if (e.getStatusCode() == HttpStatus.NOT_FOUND) {
        log.warn("The bootstrap service no longer knows peer {}; registering again", peer.name());
        registered.set(false);
        register();
      } else {
        log.warn("Heartbeat refused by the bootstrap service: {}", e.getMessage());
      }
    } catch (RestClientException e) {
      log.warn("Heartbeat to {} failed: {}", peer.bootstrapUrl(), e.getMessage());
    }
  }

  private void register() {
    try {
      bootstrap.post().uri("/api/peers")
          .contentType(MediaType.APPLICATION_JSON)
          .body(Map.of("name", peer.name(), "company", peer.company(), "address", address))
          .retrieve()
          .toBodilessEntity();
      registered.set(true);
      log.info("Registered with the bootstrap service at {} as {}", peer.bootstrapUrl(), peer.name());
    } catch (HttpClientErrorException e) {
      log.error("The bootstrap service refused to register peer {}: {}", peer.name(),
          e.getResponseBodyAsString());
    } catch (RestClientException e) {
      log.warn("Cannot reach the bootstrap service at {} ({}); will retry", peer.bootstrapUrl(),
          e.getMessage());
    }
  }
}
