package io.peersql.peer.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The company's schema mapping, kept on the peer in {@code <data-dir>/mapping.json} (written to a
 * temporary file and moved into place, so a crash never leaves half a mapping).
 */
@Component
public class MappingStore {

  private final Path file;

  /** Creates a MappingStore under the peer's data directory. */
  public MappingStore(@Value("${peersql.peer.data-dir}") Path dataDir) {
    this.file = dataDir.resolve("mapping.json");
  }

  /** The stored mapping, if the admin has given one. */
  public synchronized Optional<SchemaMapping> current() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(SchemaMapping.parse(Files.readString(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  /** Validates and stores a mapping given as JSON or YAML; returns it. */
  public synchronized SchemaMapping replace(String text) {
    var mapping = SchemaMapping.parse(text);
    try {
      Files.createDirectories(file.getParent());
      var temporary = Files.createTempFile(file.getParent(), "mapping", ".tmp");
      Files.writeString(temporary, mapping.toJson());
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
    return mapping;
  }
}
