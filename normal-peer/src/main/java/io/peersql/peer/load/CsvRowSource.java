package io.peersql.peer.load;

import io.peersql.peer.load.SchemaMapping.TableMapping;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Rows of a mapped table read from a CSV file (RFC 4180: comma separated, a header line, fields
 * optionally in double quotes with "" for a quote, quoted fields may span lines). Mapped columns
 * name header fields; values arrive as text and are converted to the global column's type.
 */
final class CsvRowSource implements RowSource {

  private final Path file;
  private final BufferedReader reader;
  private final int[] fieldOfColumn;
  private final long expected;
  private long line = 1;
  private long lineOfRow;

  private CsvRowSource(Path file, BufferedReader reader, int[] fieldOfColumn, long expected) {
    this.file = file;
    this.reader = reader;
    this.fieldOfColumn = fieldOfColumn;
    this.expected = expected;
  }

  static CsvRowSource open(Path directory, TableMapping table) throws IOException {
    var file = directory.resolve(table.from()).normalize();
    if (!file.startsWith(directory.normalize())) {
      throw new LoadFailedException("The CSV file '" + table.from() + "' is outside the source directory");
    }
    if (!Files.isRegularFile(file)) {
      throw new LoadFailedException("No CSV file " + file + " for table " + table.target());
    }
    var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    try {
      var header = readRecord(reader, new long[] {1});
      if (header == null) {
        throw new LoadFailedException("The CSV file " + file + " is empty: it needs a header line");
      }
      var index = new HashMap<String, Integer>();
      for (int i = 0; i < header.size(); i++) {
        index.put(header.get(i).trim().toLowerCase(), i);
      }
      var fields = new int[table.columns().size()];
      int i = 0;
      for (var entry : table.columns().entrySet()) {
        var field = index.get(entry.getValue().trim().toLowerCase());
        if (field == null) {
          throw new LoadFailedException("The CSV file " + file.getFileName() + " has no column '" + entry.getValue()
              + "' (mapped to " + entry.getKey() + "); its header is " + header);
        }
        fields[i++] = field;
      }
      return new CsvRowSource(file, reader, fields, countLines(file) - 1);
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  private static long countLines(Path file) throws IOException {
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.filter(l -> !l.isEmpty()).count();
    }
  }

  @Override
  public Object[] next() throws IOException {
    lineOfRow = line + 1;
    var counter = new long[] {line};
    List<String> fields;
    do {
      fields = readRecord(reader, counter);
    } while (fields != null && fields.size() == 1 && fields.get(0).isEmpty());
    line = counter[0];
    if (fields == null) {
      return null;
    }
    var values = new Object[fieldOfColumn.length];
    for (int i = 0; i < fieldOfColumn.length; i++) {
      if (fieldOfColumn[i] >= fields.size()) {
        throw new LoadFailedException("Line " + lineOfRow + " of " + file.getFileName() + " has "
            + fields.size() + " fields, fewer than the header");
      }
      values[i] = fields.get(fieldOfColumn[i]);
    }
    return values;
  }

  /** Reads one record; null at end of input. {@code line[0]} counts physical lines read. */
  private static List<String> readRecord(BufferedReader reader, long[] line) throws IOException {
    int c = reader.read();
    if (c == -1) {
      return null;
    }
    var fields = new ArrayList<String>();
    var field = new StringBuilder();
    boolean quoted = false;
    while (true) {
      if (quoted) {
        if (c == -1) {
          throw new LoadFailedException("Line " + line[0] + ": a quoted field is not closed before the end of the file");
        }
        if (c == '"') {
          reader.mark(1);
          int next = reader.read();
          if (next == '"') {
            field.append('"');
          } else {
            quoted = false;
            if (next != -1) {
              reader.reset();
            }
          }
        } else {
          if (c == '\n') {
            line[0]++;
          }
          field.append((char) c);
        }
      } else if (c == '"' && field.isEmpty()) {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else if (c == '\n' || c == -1) {
        line[0]++;
        fields.add(field.toString());
        return fields;
      } else if (c != '\r') {
        field.append((char) c);
      }
      c = reader.read();
    }
  }

  @Override
  public String position() {
    return "line " + lineOfRow + " of " + file.getFileName();
  }

  @Override
  public long expectedRows() {
    return expected;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
