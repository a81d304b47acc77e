package io.peersql.bootstrap.events;

/** What happened in a corporate network. */
public enum NetworkEventKind {
  NETWORK_CREATED,
  COMPANY_JOINED,
  COMPANY_LEFT,
  PEER_CREATED,
  PEER_JOINED,
  PEER_SUSPECT,
  PEER_FAILED,
  PEER_RECOVERED,
  PEER_RETIRED,
  SCHEMA_CHANGED,
  ROLES_CHANGED
}
