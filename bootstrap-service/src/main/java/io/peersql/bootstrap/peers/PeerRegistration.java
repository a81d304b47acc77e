package io.peersql.bootstrap.peers;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What a peer sends when it registers.
 *
 * @param name unique peer name
 * @param company owning company
 * @param address base URL of the peer's HTTP API, {@code http://host:port}
 */
public record PeerRegistration(
    @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_.-]*",
        message = "must start with a letter or digit and hold only letters, digits, '_', '.' and '-'")
    String name,
    @NotBlank @Size(max = 128) String company,
    @NotBlank @Size(max = 256) @Pattern(regexp = "https?://[^\\s/]+(:\\d+)?/?",
        message = "must be a base URL such as http://127.0.0.1:8080")
    String address) {
}
