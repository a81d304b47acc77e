package io.peersql.baton;

import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A key of the overlay's ordered key space: a byte string compared unsigned and
 * lexicographically. The empty key is the smallest key. Encoders turn strings, longs,
 * decimals and dates into byte strings whose order is the order of the values, and a
 * {@link Builder} concatenates several such components into one composite key (for
 * example {@code (table, column, value)}) whose order is the lexicographic order of the
 * component tuple.
 *
 * <p>Every component starts with a type tag and is self-delimiting, so a composite key is
 * never a confusing prefix of another: strings escape {@code 0x00} as {@code 0x00 0xFF}
 * and end with {@code 0x00 0x01}; longs and dates are 8 bytes with the sign bit flipped;
 * decimals are a sign byte, an order-preserving exponent and the digits.
 */
public final class OrderedKey implements Comparable<OrderedKey>, Serializable {
  /** The smallest key; every range of the key space starts at or after it. */
  public static final OrderedKey MIN = new OrderedKey(new byte[0]);

  static final byte TAG_NULL = 0x01;
  static final byte TAG_LONG = 0x10;
  static final byte TAG_DECIMAL = 0x18;
  static final byte TAG_DATE = 0x20;
  static final byte TAG_STRING = 0x30;

  private final byte[] bytes;

  private OrderedKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Creates a key from raw bytes (copied). */
  public static OrderedKey ofBytes(byte[] bytes) {
    return new OrderedKey(bytes.clone());
  }

  /** Creates a single-component key from a String, Long/Integer, BigDecimal or LocalDate. */
  public static OrderedKey of(Object... components) {
    var b = builder();
    for (Object c : components) {
      b.add(c);
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Returns the raw bytes without copying; callers must not modify them. */
  public byte[] rawBytes() {
    return bytes;
  }

  public int length() {
    return bytes.length;
  }

  /**
   * Returns the smallest key greater than every key that starts with this key's bytes,
   * or {@code null} (meaning +infinity) when no such key exists. Useful to scan all keys
   * with a given prefix, such as all entries of one (table, column).
   */
  public OrderedKey prefixEnd() {
    byte[] b = bytes.clone();
    for (int i = b.length - 1; i >= 0; i--) {
      if ((b[i] & 0xFF) != 0xFF) {
        b[i]++;
        return new OrderedKey(Arrays.copyOf(b, i + 1));
      }
    }
    return null;
  }

  /**
   * Returns a key strictly between {@code low} and {@code high} (a null high is
   * +infinity), reading keys as base-256 fractions in [0, 1). Returns null when no key lies strictly between them.
   */
  public static OrderedKey midpoint(OrderedKey low, OrderedKey high) {
    int len = Math.max(low.bytes.length, high == null ? 0 : high.bytes.length) + 1;
    int[] a = new int[len];
    int[] b = new int[len + 1];
    for (int i = 0; i < low.bytes.length; i++) {
      a[i] = low.bytes[i] & 0xFF;
    }
    // b holds high as a fraction; +infinity is 1.0 (a carry digit in front)
    int[] hi = new int[len + 1];
    if (high == null) {
      hi[0] = 1;
    } else {
      for (int i = 0; i < high.bytes.length; i++) {
        hi[i + 1] = high.bytes[i] & 0xFF;
      }
    }
    int[] sum = new int[len + 1];
    int carry = 0;
    for (int i = len - 1; i >= 0; i--) {
      int s = a[i] + hi[i + 1] + carry;
      sum[i + 1] = s & 0xFF;
      carry = s >> 8;
    }
    sum[0] = hi[0] + carry;
    // halve: sum / 2, dropping the integer digit
    int rem = 0;
    for (int i = 0; i <= len; i++) {
      int cur = rem * 256 + sum[i];
      b[i] = cur / 2;
      rem = cur % 2;
    }
    byte[] out = new byte[len];
    for (int i = 0; i < len; i++) {
      out[i] = (byte) b[i + 1];
    }
    var full = new OrderedKey(out);
    if (full.compareTo(low) <= 0 || (high != null && full.compareTo(high) >= 0)) {
      // low and high differ only by trailing zero bytes: the only keys between them extend low
      byte[] ext = Arrays.copyOf(low.bytes, low.bytes.length + 1);
      var candidate = new OrderedKey(ext);
      return high == null || candidate.compareTo(high) < 0 ? candidate : null;
    }
    int end = out.length;
    while (end > 0 && out[end - 1] == 0 && new OrderedKey(Arrays.copyOf(out, end - 1)).compareTo(low) > 0) {
      end--;
    }
    return new OrderedKey(Arrays.copyOf(out, end));
  }

  @Override
  public int compareTo(OrderedKey o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OrderedKey k && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return bytes.length == 0 ? "MIN" : HexFormat.of().formatHex(bytes);
  }

  /** Builds a composite key component by component; the key orders as the tuple does. */
  public static final class Builder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private Builder() {}

    /** Appends a component of a supported type, or a null (which sorts first). */
    public Builder add(Object value) {
      return switch (value) {
        case null -> addNull();
        case String s -> add(s);
        case Long l -> add(l.longValue());
        case Integer i -> add(i.longValue());
        case Short s -> add(s.longValue());
        case BigDecimal d -> add(d);
        case BigInteger i -> add(new BigDecimal(i));
        case LocalDate d -> add(d);
        default -> throw new IllegalArgumentException(
            "unsupported key component type " + value.getClass().getName());
      };
    }

    public Builder addNull() {
      out.write(TAG_NULL);
      return this;
    }

    public Builder add(String s) {
      out.write(TAG_STRING);
      for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
        out.write(b);
        if (b == 0) {
          out.write(0xFF);
        }
      }
      out.write(0x00);
      out.write(0x01);
      return this;
    }

    public Builder add(long v) {
      out.write(TAG_LONG);
      writeLong(v ^ Long.MIN_VALUE);
      return this;
    }

    public Builder add(LocalDate d) {
      out.write(TAG_DATE);
      writeLong(d.toEpochDay() ^ Long.MIN_VALUE);
      return this;
    }

    /**
     * Appends a decimal: sign byte (0 negative, 1 zero, 2 positive), then for non-zero
     * values the exponent e of 0.d1d2..dn x 10^e as a sign-flipped int and the digits
     * '0'..'9' ended by 0x00; negative values have exponent and digits complemented so
     * that larger magnitudes sort first. Numerically equal decimals (1.0, 1.00) encode
     * the same.
     */
    public Builder add(BigDecimal d) {
      out.write(TAG_DECIMAL);
      int sign = d.signum();
      if (sign == 0) {
        out.write(1);
        return this;
      }
      BigDecimal abs = d.abs().stripTrailingZeros();
      String digits = abs.unscaledValue().toString();
      int exponent = digits.length() - abs.scale();
      int encodedExp = exponent ^ Integer.MIN_VALUE;
      if (sign > 0) {
        out.write(2);
        writeInt(encodedExp);
        for (int i = 0; i < digits.length(); i++) {
          out.write(digits.charAt(i));
        }
        out.write(0x00);
      } else {
        out.write(0);
        writeInt(~encodedExp);
        for (int i = 0; i < digits.length(); i++) {
          out.write(0xFF - digits.charAt(i));
        }
        out.write(0xFF);
      }
      return this;
    }

    /** Appends raw bytes with no tag or delimiter (only sensible as the last component). */
    public Builder addRaw(byte[] raw) {
      out.writeBytes(raw);
      return this;
    }

    public OrderedKey build() {
      return new OrderedKey(out.toByteArray());
    }

    private void writeLong(long v) {
      for (int i = 7; i >= 0; i--) {
        out.write((int) (v >>> (i * 8)) & 0xFF);
      }
    }

    private void writeInt(int v) {
      for (int i = 3; i >= 0; i--) {
        out.write((v >>> (i * 8)) & 0xFF);
      }
    }
  }
}
