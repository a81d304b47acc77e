package io.peersql.peer.index;

import java.util.List;

/**
 * An ordered key-value index shared by the whole network: the BATON overlay in a running peer.
 * Keys are tuples of components (String, Long, BigDecimal or LocalDate) ordered component by
 * component; a key may hold several values.
 */
public interface SharedIndex {

  /** Adds {@code value} under {@code key} (a no-op if it is already there). */
  void put(List<Object> key, byte[] value) throws Exception;

  /** Removes {@code value} from under {@code key}. */
  void remove(List<Object> key, byte[] value) throws Exception;

  /**
   * The values of every key that is at least {@code low} and, compared on as many components as
   * {@code highPrefix} has, at most {@code highPrefix}; so {@code scan(p, p)} lists the values of
   * the keys starting with {@code p}. In key order.
   */
  List<byte[]> scan(List<Object> low, List<Object> highPrefix) throws Exception;
}
