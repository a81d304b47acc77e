package io.peersql.bootstrap.web;

/** The shape of every name used in a URL: companies, networks, peers, roles, usernames. */
public final class Names {

  public static final String PATTERN = "[a-z0-9][a-z0-9_.-]*";
  public static final String MESSAGE =
      "must start with a lower-case letter or digit and hold only lower-case letters, digits, '_', '.' and '-'";

  private Names() {
  }
}
