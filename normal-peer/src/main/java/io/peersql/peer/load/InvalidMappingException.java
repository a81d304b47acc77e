package io.peersql.peer.load;

import java.util.List;

/** A schema mapping that cannot be used, with every problem found. */
public class InvalidMappingException extends RuntimeException {

  private final List<String> problems;

  public InvalidMappingException(List<String> problems) {
    super("Invalid schema mapping: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
