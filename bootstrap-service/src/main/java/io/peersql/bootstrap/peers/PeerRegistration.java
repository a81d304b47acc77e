package io.peersql.bootstrap.peers;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What a peer process sends when it registers.
 *
 * @param address base URL of its HTTP API, {@code http://host:port}
 * @param overlayAddress where its BATON overlay endpoint listens ({@code host:port}), if it runs one
 */
public record PeerRegistration(
    @NotBlank @Size(max = 256) @Pattern(regexp = "https?://[^\\s/]+(:\\d+)?/?",
        message = "must be a base URL such as http://127.0.0.1:8080")
    String address,
    @Size(max = 256) @Pattern(regexp = "[^\\s/]+:\\d{1,5}", message = "must be host:port, such as 127.0.0.1:9700")
    String overlayAddress) {
}
