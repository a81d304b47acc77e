package io.peersql.query.peer;

import io.peersql.query.wire.WireColumn;
import java.util.List;

/**
 * The rows one peer sends for one sub-query, read one at a time. Closing it before the end aborts
 * the transfer, which stops the work on the owning peer.
 */
public interface RowSource extends AutoCloseable {

  /** The columns of the answer. */
  List<WireColumn> columns();

  /** The next row, or null at the end of a complete answer; throws {@link PeerQueryException}. */
  Object[] next();

  /** Releases the transfer; aborts it if the answer was not read to the end. */
  @Override
  void close();
}
