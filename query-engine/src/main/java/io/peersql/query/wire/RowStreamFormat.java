package io.peersql.query.wire;

/**
 * Constants of the row-stream wire format between peers.
 *
 * <pre>
 * stream  := MAGIC frame*
 * MAGIC   := int 0x50535131 ("PSQ1")
 * frame   := 'H' short n (utf name, byte type){n}          -- header, first frame
 *          | 'B' int length byte[length]                   -- batch: int rows, then rows
 *          | 'E' long rowCount                             -- end of a complete answer
 *          | 'X' utf peer, utf tables, utf sqlState, utf message  -- failure, last frame
 * row     := value{n}
 * value   := byte 0 (null) | byte 1 payload
 * payload := LONG long | DECIMAL int scale, short len, byte[len] unscaled
 *          | DOUBLE double | DATE long epochDay | TIMESTAMP long epochSecond, int nanos
 *          | STRING int len, byte[len] utf-8 | BOOLEAN byte
 * </pre>
 *
 * A stream that ends without an 'E' or 'X' frame was cut off; the reader reports it as a failure,
 * never as a short answer. All numbers are big-endian ({@link java.io.DataOutput}).
 */
public final class RowStreamFormat {

  /** The media type of a row stream. */
  public static final String MEDIA_TYPE = "application/x-peersql-rows";

  static final int MAGIC = 0x50535131;
  static final byte HEADER = 'H';
  static final byte BATCH = 'B';
  static final byte END = 'E';
  static final byte ERROR = 'X';

  private RowStreamFormat() {
  }
}
