package io.peersql.peer;

import io.peersql.query.peer.HttpPeerQueryClient;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** A company's normal peer: its shared data, its JDBC endpoint, its place in the network. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class PeerApplication {

  /**
   * Defaults that depend on the JDK. From JDK 24 on (JEP 491), a virtual thread blocked inside
   * {@code synchronized} (as H2 and the JDBC drivers often are) no longer pins its carrier, and
   * the peer serves requests on virtual threads: JDBC calls, sub-queries and the readers of
   * remote rows then hand work to each other without waking OS threads, which took the W3
   * benchmark from about 880 to 1,270 queries per second on two cores. On JDK 21-23 the peer
   * keeps Tomcat's platform threads. {@code spring.threads.virtual.enabled} set anywhere wins.
   */
  static Map<String, Object> defaults(int jdkFeatureVersion) {
    return Map.of("spring.threads.virtual.enabled", Boolean.toString(jdkFeatureVersion >= 24));
  }

  public static void main(String[] args) {
    // Before anything opens an HTTP connection (the JDK reads the limit once).
    HttpPeerQueryClient.keepConnectionsAlive();
    var application = new SpringApplication(PeerApplication.class);
    application.setDefaultProperties(defaults(Runtime.version().feature()));
    application.run(args);
  }
}
