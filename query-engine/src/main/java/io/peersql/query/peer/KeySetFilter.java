package io.peersql.query.peer;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;

/**
 * A Bloom filter over join keys that travels with a sub-query (semi-join reduction when there are
 * too many keys for an {@code IN} list): the owning peer drops every row whose key column holds a
 * value the filter has certainly not seen. Rows of keys it has seen always pass, and about
 * {@link #FALSE_POSITIVES} of the others pass too; the join above removes those. A NULL key never
 * passes (it joins nothing).
 *
 * <p>Keys are whole numbers (any integral type, compared by value) or text (trailing blanks
 * ignored, as CHAR columns pad them). Both sides hash the value as the store's driver and Calcite
 * hand it over: a {@code Long}, {@code Integer} or {@code Short} of equal value passes equally.
 *
 * @param column zero-based index of the key among the sub-query's result columns
 * @param bits the filter's bit array, Base64 of its 64-bit words in big-endian order
 * @param hashes number of bit positions set per key
 */
public record KeySetFilter(int column, String bits, int hashes) {

  /** The share of absent keys that still pass, with the filter sized for it. */
  public static final double FALSE_POSITIVES = 0.01;

  /** Creates a KeySetFilter. */
  public KeySetFilter {
    requireNonNull(bits, "bits is null");
    if (column < 0 || hashes < 1) {
      throw new IllegalArgumentException("column " + column + ", hashes " + hashes);
    }
  }

  /** A filter over {@code keys} for result column {@code column}, sized for {@link #FALSE_POSITIVES}. */
  public static KeySetFilter of(int column, Collection<?> keys) {
    int n = Math.max(1, keys.size());
    // m = -n ln p / (ln 2)^2 bits, k = (m / n) ln 2 hashes: 9.6 bits and 7 hashes per key at 1 %
    long bitCount = (long) Math.ceil(-n * Math.log(FALSE_POSITIVES) / (Math.log(2) * Math.log(2)));
    int words = (int) Math.min(Integer.MAX_VALUE - 8, (bitCount + 63) / 64);
    int hashes = Math.max(1, (int) Math.round((double) words * 64 / n * Math.log(2)));
    var set = new long[words];
    for (var key : keys) {
      if (key != null) {
        setAll(set, hash(key), hashes);
      }
    }
    var bytes = ByteBuffer.allocate(words * 8);
    bytes.asLongBuffer().put(set);
    return new KeySetFilter(column, Base64.getEncoder().encodeToString(bytes.array()), hashes);
  }

  /** The filter decoded for testing rows; build once per sub-query. */
  public Tester tester() {
    var bytes = Base64.getDecoder().decode(bits);
    if (bytes.length == 0 || bytes.length % 8 != 0) {
      throw new IllegalArgumentException("a key filter's bits must be whole 64-bit words, got " + bytes.length + " bytes");
    }
    var words = new long[bytes.length / 8];
    ByteBuffer.wrap(bytes).asLongBuffer().get(words);
    return new Tester(column, words, hashes);
  }

  /** Tests rows against the decoded filter. */
  public static final class Tester {
    private final int column;
    private final long[] words;
    private final int hashes;

    private Tester(int column, long[] words, int hashes) {
      this.column = column;
      this.words = words;
      this.hashes = hashes;
    }

    /** Checks that rows of {@code columns} columns have the key column. */
    public void requireColumns(int columns) {
      if (column >= columns) {
        throw new IllegalArgumentException("a key filter on column " + column + " of a sub-query with "
            + columns + " columns");
      }
    }

    /** Whether the row's key may be one of the filter's keys (false: it certainly is not). */
    public boolean passes(Object[] row) {
      if (column >= row.length) {
        throw new IllegalArgumentException("key column " + column + " of a row of " + row.length + " columns");
      }
      var key = row[column];
      return key != null && mayContain(key);
    }

    /** Whether {@code key} may be one of the filter's keys. */
    public boolean mayContain(Object key) {
      long h = hash(key);
      long step = step(h);
      long bits = (long) words.length * 64;
      for (int i = 0; i < hashes; i++) {
        long bit = Math.floorMod(h + i * step, bits);
        if ((words[(int) (bit >>> 6)] & (1L << (bit & 63))) == 0) {
          return false;
        }
      }
      return true;
    }
  }

  private static void setAll(long[] words, long h, int hashes) {
    long step = step(h);
    long bits = (long) words.length * 64;
    for (int i = 0; i < hashes; i++) {
      long bit = Math.floorMod(h + i * step, bits);
      words[(int) (bit >>> 6)] |= 1L << (bit & 63);
    }
  }

  /** Double hashing: a key hashed to {@code h} sets bits {@code h + i * step(h)}, modulo the size. */
  private static long step(long h) {
    return mix(h ^ 0x9E3779B97F4A7C15L) | 1;
  }

  private static long hash(Object key) {
    return switch (key) {
      case Long l -> mix(l);
      case Integer i -> mix(i.longValue());
      case Short s -> mix(s.longValue());
      case Byte b -> mix(b.longValue());
      case String s -> text(s);
      default -> throw new IllegalArgumentException(
          "a key filter takes whole numbers and text, not " + key.getClass().getSimpleName());
    };
  }

  private static long text(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') {
      end--;
    }
    long h = 0xCBF29CE484222325L; // FNV-1a over the UTF-8 bytes, then mixed
    for (byte b : s.substring(0, end).getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xFF)) * 0x100000001B3L;
    }
    return mix(h ^ 0x5851F42D4C957F2DL);
  }

  /** The finaliser of SplitMix64: spreads every input bit over the whole word. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
