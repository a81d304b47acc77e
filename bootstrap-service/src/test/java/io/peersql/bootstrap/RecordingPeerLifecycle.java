package io.peersql.bootstrap;

import io.peersql.bootstrap.health.PeerLifecycle;
import io.peersql.bootstrap.health.PeerSnapshot;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A lifecycle hook that remembers its calls, as {@code "failed peer-1"}. */
public final class RecordingPeerLifecycle implements PeerLifecycle {

  private final List<String> calls = new CopyOnWriteArrayList<>();

  @Override
  public void peerSuspect(PeerSnapshot peer) {
    calls.add("suspect " + peer.name());
  }

  @Override
  public void peerFailed(PeerSnapshot peer) {
    calls.add("failed " + peer.name());
  }

  @Override
  public void peerRecovered(PeerSnapshot peer) {
    calls.add("recovered " + peer.name());
  }

  /** The calls about one peer, in order. */
  public List<String> callsAbout(String peer) {
    return calls.stream().filter(call -> call.endsWith(" " + peer)).toList();
  }
}
