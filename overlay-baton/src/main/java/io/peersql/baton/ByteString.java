package io.peersql.baton;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string, ordered by unsigned lexicographic comparison. Used for
 * index values (small payloads such as a peer id) stored under an {@link OrderedKey}.
 */
public final class ByteString implements Comparable<ByteString>, Serializable {
  private final byte[] bytes;

  private ByteString(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Creates a byte string holding a copy of {@code bytes}. */
  public static ByteString of(byte[] bytes) {
    return new ByteString(bytes.clone());
  }

  /** Creates a byte string holding the UTF-8 encoding of {@code text}. */
  public static ByteString ofUtf8(String text) {
    return new ByteString(text.getBytes(StandardCharsets.UTF_8));
  }

  static ByteString wrap(byte[] bytes) {
    return new ByteString(bytes);
  }

  public byte[] toByteArray() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  public String toUtf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public int compareTo(ByteString o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteString b && Arrays.equals(bytes, b.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
