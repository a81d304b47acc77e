package io.peersql.peer;

import io.peersql.query.peer.HttpPeerQueryClient;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** A company's normal peer: its shared data, its JDBC endpoint, its place in the network. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class PeerApplication {

  public static void main(String[] args) {
    // Before anything opens an HTTP connection (the JDK reads the limit once).
    HttpPeerQueryClient.keepConnectionsAlive();
    SpringApplication.run(PeerApplication.class, args);
  }
}
