package io.peersql.query.wire;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Writes a row stream ({@link RowStreamFormat}) to an output stream: a header, rows gathered into
 * batches of bounded size (each batch is flushed, so the reader sees rows while the query still
 * runs), then an end frame or an error frame.
 */
public final class RowStreamWriter {

  private final DataOutputStream out;
  private final int batchBytes;
  private final ByteArrayOutputStream batch = new ByteArrayOutputStream();
  private final DataOutputStream batchOut = new DataOutputStream(batch);
  private List<WireColumn> columns;
  private int batchRows;
  private long rows;

  /** Creates a RowStreamWriter that flushes a batch once it holds about {@code batchBytes}. */
  public RowStreamWriter(OutputStream out, int batchBytes) throws IOException {
    this.out = new DataOutputStream(requireNonNull(out, "out is null"));
    this.batchBytes = batchBytes;
    this.out.writeInt(RowStreamFormat.MAGIC);
  }

  /** Writes the header; must come first, once. */
  public void header(List<WireColumn> header) throws IOException {
    if (columns != null) {
      throw new IllegalStateException("header already written");
    }
    columns = List.copyOf(header);
    out.writeByte(RowStreamFormat.HEADER);
    out.writeShort(columns.size());
    for (var column : columns) {
      out.writeUTF(column.name());
      out.writeByte(column.type().code());
    }
  }

  /** Adds one row; values must be of the Java types the header's wire types name. */
  public void row(Object[] values) throws IOException {
    for (int i = 0; i < columns.size(); i++) {
      writeValue(columns.get(i).type(), values[i]);
    }
    batchRows++;
    rows++;
    if (batch.size() >= batchBytes) {
      flushBatch();
    }
  }

  /** Ends a complete answer. */
  public void end() throws IOException {
    flushBatch();
    out.writeByte(RowStreamFormat.END);
    out.writeLong(rows);
    out.flush();
  }

  /** Ends the stream with a failure; rows already sent are to be discarded by the reader. */
  public void error(String peer, List<String> tables, String sqlState, String message)
      throws IOException {
    batch.reset();
    batchRows = 0;
    out.writeByte(RowStreamFormat.ERROR);
    out.writeUTF(peer);
    out.writeUTF(String.join(",", tables));
    out.writeUTF(sqlState == null ? "" : sqlState);
    out.writeUTF(truncate(message == null ? "" : message));
    out.flush();
  }

  private void flushBatch() throws IOException {
    if (batchRows == 0) {
      return;
    }
    out.writeByte(RowStreamFormat.BATCH);
    out.writeInt(batch.size() + 4);
    out.writeInt(batchRows);
    batch.writeTo(out);
    out.flush();
    batch.reset();
    batchRows = 0;
  }

  private void writeValue(WireType type, Object value) throws IOException {
    if (value == null) {
      batchOut.writeByte(0);
      return;
    }
    batchOut.writeByte(1);
    switch (type) {
      case LONG -> batchOut.writeLong(((Number) value).longValue());
      case DECIMAL -> {
        var decimal = (BigDecimal) value;
        var unscaled = decimal.unscaledValue().toByteArray();
        batchOut.writeInt(decimal.scale());
        batchOut.writeShort(unscaled.length);
        batchOut.write(unscaled);
      }
      case DOUBLE -> batchOut.writeDouble(((Number) value).doubleValue());
      case DATE -> batchOut.writeLong(((LocalDate) value).toEpochDay());
      case TIMESTAMP -> {
        var timestamp = (LocalDateTime) value;
        batchOut.writeLong(timestamp.toEpochSecond(ZoneOffset.UTC));
        batchOut.writeInt(timestamp.getNano());
      }
      case STRING -> {
        var bytes = value.toString().getBytes(StandardCharsets.UTF_8);
        batchOut.writeInt(bytes.length);
        batchOut.write(bytes);
      }
      case BOOLEAN -> batchOut.writeByte((Boolean) value ? 1 : 0);
    }
  }

  private static String truncate(String message) {
    // writeUTF is limited to 65535 bytes; error messages never need that much.
    return message.length() > 8000 ? message.substring(0, 8000) + "..." : message;
  }
}
