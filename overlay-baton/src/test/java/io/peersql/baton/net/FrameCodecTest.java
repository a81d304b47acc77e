package io.peersql.baton.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peersql.baton.ByteString;
import io.peersql.baton.IndexEntry;
import io.peersql.baton.OrderedKey;
import io.peersql.baton.core.Envelope;
import io.peersql.baton.core.KeyRange;
import io.peersql.baton.core.Link;
import io.peersql.baton.core.Message;
import io.peersql.baton.core.NodeId;
import io.peersql.baton.core.NodeInfo;
import io.peersql.baton.core.Position;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

  @Test
  void envelopesSurviveTheRoundTrip() throws IOException {
    var a = new NodeId("127.0.0.1", 7001);
    var info = new NodeInfo(a, new Position(2, 3), new KeyRange(OrderedKey.of(5L), null), true,
        false, false);
    var msg = new Message.JoinAccepted(info,
        List.of(new IndexEntry(OrderedKey.of("t", 1L), ByteString.ofUtf8("p1"))),
        new Link(a, Position.ROOT), null, new Link(a, new Position(1, 2)), null);
    var env = new Envelope(a, new NodeId("127.0.0.1", 7002), msg);
    assertThat(FrameCodec.decode(FrameCodec.encode(env))).isEqualTo(env);
  }

  @Test
  void framesWithForeignClassesAreRejected() throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var out = new ObjectOutputStream(bytes)) {
      out.writeObject(new HashMap<>(java.util.Map.of("x", 1)));
    }
    assertThatThrownBy(() -> FrameCodec.decode(bytes.toByteArray()))
        .isInstanceOf(IOException.class);
  }
}
