package io.peersql.query.wire;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Reads a row stream ({@link RowStreamFormat}) one row at a time. An error frame becomes a
 * {@link RemoteFailure}; a stream cut off before its end frame becomes an {@link EOFException}.
 * Values come back as {@link Long}, {@link BigDecimal}, {@link Double}, {@link LocalDate},
 * {@link LocalDateTime}, {@link String} or {@link Boolean}.
 */
public final class RowStreamReader {

  private final DataInputStream in;
  private List<WireColumn> columns;
  private DataInputStream batch;
  private int batchRowsLeft;
  private boolean ended;

  /** Creates a RowStreamReader over the given stream; reads nothing yet. */
  public RowStreamReader(InputStream in) {
    this.in = new DataInputStream(requireNonNull(in, "in is null"));
  }

  /** The header's columns; reads the header if not yet read. */
  public List<WireColumn> columns() throws IOException {
    if (columns == null) {
      if (in.readInt() != RowStreamFormat.MAGIC) {
        throw new IOException("not a PeerSQL row stream");
      }
      var kind = in.readByte();
      if (kind == RowStreamFormat.ERROR) {
        throw readError();
      }
      if (kind != RowStreamFormat.HEADER) {
        throw new IOException("row stream does not start with a header (frame " + (char) kind + ")");
      }
      int n = in.readUnsignedShort();
      var read = new WireColumn[n];
      for (int i = 0; i < n; i++) {
        read[i] = new WireColumn(in.readUTF(), WireType.ofCode(in.readByte()));
      }
      columns = Arrays.asList(read);
    }
    return columns;
  }

  /** The next row, or null after the end frame. */
  public Object[] next() throws IOException {
    columns();
    while (batchRowsLeft == 0) {
      if (ended) {
        return null;
      }
      var kind = in.readByte();
      switch (kind) {
        case RowStreamFormat.BATCH -> {
          var bytes = new byte[in.readInt()];
          in.readFully(bytes);
          batch = new DataInputStream(new ByteArrayInputStream(bytes));
          batchRowsLeft = batch.readInt();
        }
        case RowStreamFormat.END -> {
          in.readLong();
          ended = true;
        }
        case RowStreamFormat.ERROR -> throw readError();
        default -> throw new IOException("unknown row stream frame " + kind);
      }
    }
    batchRowsLeft--;
    var row = new Object[columns.size()];
    for (int i = 0; i < row.length; i++) {
      row[i] = readValue(columns.get(i).type());
    }
    return row;
  }

  private RemoteFailure readError() throws IOException {
    var peer = in.readUTF();
    var tables = in.readUTF();
    var sqlState = in.readUTF();
    var message = in.readUTF();
    ended = true;
    return new RemoteFailure(peer, tables.isEmpty() ? List.of() : List.of(tables.split(",")),
        sqlState, message);
  }

  private Object readValue(WireType type) throws IOException {
    if (batch.readByte() == 0) {
      return null;
    }
    return switch (type) {
      case LONG -> batch.readLong();
      case DECIMAL -> {
        int scale = batch.readInt();
        var unscaled = new byte[batch.readUnsignedShort()];
        batch.readFully(unscaled);
        yield new BigDecimal(new BigInteger(unscaled), scale);
      }
      case DOUBLE -> batch.readDouble();
      case DATE -> LocalDate.ofEpochDay(batch.readLong());
      case TIMESTAMP -> LocalDateTime.ofEpochSecond(batch.readLong(), batch.readInt(), ZoneOffset.UTC);
      case STRING -> {
        var bytes = new byte[batch.readInt()];
        batch.readFully(bytes);
        yield new String(bytes, StandardCharsets.UTF_8);
      }
      case BOOLEAN -> batch.readByte() != 0;
    };
  }

  /** Whether the end frame was read. */
  public boolean ended() {
    return ended;
  }

  /** Thrown when the stream carries an error frame. */
  public static final class RemoteFailure extends IOException {
    private final String peer;
    private final List<String> tables;
    private final String sqlState;

    RemoteFailure(String peer, List<String> tables, String sqlState, String message) {
      super(message);
      this.peer = peer;
      this.tables = List.copyOf(tables);
      this.sqlState = sqlState;
    }

    /** Id of the peer that failed. */
    public String peer() {
      return peer;
    }

    /** Tables the failed sub-query read. */
    public List<String> tables() {
      return tables;
    }

    /** SQLSTATE reported by the peer, or empty. */
    public String sqlState() {
      return sqlState;
    }
  }
}
