package io.peersql.baton.net;

import io.peersql.baton.core.Envelope;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/**
 * Turns envelopes into length-prefixed binary frames and back: a 4-byte big-endian length,
 * then the envelope in Java serialization form. Only records of this library and the JDK
 * collection and value classes they use may be read back (an allow-list filter), and frames
 * are capped in size, so a peer cannot make this node instantiate arbitrary classes.
 */
public final class FrameCodec {
  /** Largest frame accepted, in bytes. */
  public static final int MAX_FRAME = 64 * 1024 * 1024;

  private static final ObjectInputFilter FILTER = info -> {
    if (info.depth() > 64 || info.references() > 10_000_000 || info.streamBytes() > MAX_FRAME) {
      return ObjectInputFilter.Status.REJECTED;
    }
    Class<?> c = info.serialClass();
    if (c == null) {
      return ObjectInputFilter.Status.UNDECIDED;
    }
    while (c.isArray()) {
      c = c.getComponentType();
    }
    if (c.isPrimitive()) {
      return ObjectInputFilter.Status.ALLOWED;
    }
    String n = c.getName();
    boolean ok = n.startsWith("io.peersql.baton.") || n.startsWith("java.lang.")
        || n.equals("java.util.ArrayList") || n.equals("java.util.CollSer")
        || n.startsWith("java.util.ImmutableCollections") || n.equals("java.util.Collections$UnmodifiableList")
        || n.equals("java.util.Collections$UnmodifiableRandomAccessList")
        || n.equals("java.util.Collections$EmptyList");
    return ok ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
  };

  private FrameCodec() {}

  public static byte[] encode(Envelope env) throws IOException {
    var bytes = new ByteArrayOutputStream();
    try (var out = new ObjectOutputStream(bytes)) {
      out.writeObject(env);
    }
    return bytes.toByteArray();
  }

  public static Envelope decode(byte[] frame) throws IOException {
    try (var in = new ObjectInputStream(new ByteArrayInputStream(frame))) {
      in.setObjectInputFilter(FILTER);
      return (Envelope) in.readObject();
    } catch (ClassNotFoundException | ClassCastException | InvalidClassException e) {
      throw new IOException("bad frame: " + e.getMessage(), e);
    }
  }

  public static void writeFrame(DataOutputStream out, byte[] payload) throws IOException {
    out.writeInt(payload.length);
    out.write(payload);
    out.flush();
  }

  /** Reads one frame, or returns null at a clean end of stream. */
  public static byte[] readFrame(DataInputStream in) throws IOException {
    int len;
    try {
      len = in.readInt();
    } catch (EOFException e) {
      return null;
    }
    if (len < 0 || len > MAX_FRAME) {
      throw new IOException("frame length " + len + " out of bounds");
    }
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }
}
