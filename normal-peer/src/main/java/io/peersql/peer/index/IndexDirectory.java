package io.peersql.peer.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The peer's view of the network-wide indexes: it publishes what this peer shares and answers
 * which peers hold a table, or may hold values of a range-indexed column in a range, by looking
 * the indexes up in the {@link SharedIndex} (no central directory).
 *
 * <p>Keys: table index {@code ("t", table, peer)}, column index {@code ("c", column, table, peer)},
 * range index {@code ("r", table, column, bucketLow, peer, n)}; every value is a small JSON
 * document naming the peer and its address (and for ranges the bucket). What this peer last
 * published is remembered in {@code published.json} in its data directory, so entries it no
 * longer holds are withdrawn even across restarts.
 */
public final class IndexDirectory {

  /** A peer as the indexes name it. */
  public record PeerAddress(String name, String address) {
  }

  /**
   * A published index entry's payload; {@code distinct} counts a range bucket's distinct values
   * (0 when a peer of an older version published it).
   */
  record Posting(String peer, String address, String table, long rows, String low, String high, String type,
      long distinct) {
  }

  /** Readers skip fields they do not know, so a newer peer's postings do not break an older one. */
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final SharedIndex index;
  private final PeerAddress self;
  private final Path publishedFile;
  private final Map<List<Object>, DecodedScan> decodedScans = new java.util.concurrent.ConcurrentHashMap<>();

  /** Creates an IndexDirectory for peer {@code self}, remembering its postings under {@code dataDir}. */
  public IndexDirectory(SharedIndex index, PeerAddress self, Path dataDir) {
    this.index = requireNonNull(index, "index is null");
    this.self = requireNonNull(self, "self is null");
    this.publishedFile = dataDir.resolve("published.json");
  }

  /**
   * Publishes what this peer shares now, withdrawing what it published before and no longer
   * holds (or holds differently).
   */
  public synchronized void publish(ShareSummary summary) throws Exception {
    var wanted = entries(summary);
    var previous = readPublished();
    for (var old : previous) {
      if (!wanted.contains(old)) {
        index.remove(old.key(), old.value().getBytes(StandardCharsets.UTF_8));
      }
    }
    // Remember the union first: a crash midway must still let the next start withdraw.
    var union = new HashSet<>(previous);
    union.addAll(wanted);
    writePublished(union);
    // Every wanted entry is put again (puts are idempotent): the overlay may be a new one that
    // never held this peer's earlier postings, as after the whole network restarted.
    for (var entry : wanted) {
      index.put(entry.key(), entry.value().getBytes(StandardCharsets.UTF_8));
    }
    writePublished(wanted);
  }

  /** Withdraws everything this peer published (on retirement). */
  public synchronized void withdrawAll() throws Exception {
    for (var old : readPublished()) {
      index.remove(old.key(), old.value().getBytes(StandardCharsets.UTF_8));
    }
    writePublished(Set.of());
  }

  /** The peers holding rows of {@code table}, with their row counts. */
  public Map<PeerAddress, Long> peersHolding(String table) throws Exception {
    var prefix = List.<Object>of("t", table.toLowerCase());
    var peers = new LinkedHashMap<PeerAddress, Long>();
    for (var decoded : postings(prefix)) {
      var posting = decoded.posting();
      peers.put(new PeerAddress(posting.peer(), posting.address()), posting.rows());
    }
    return peers;
  }

  /** The global tables that have column {@code column}, per the column index. */
  public Set<String> tablesWithColumn(String column) throws Exception {
    var prefix = List.<Object>of("c", column.toLowerCase());
    var tables = new java.util.TreeSet<String>();
    for (var value : index.scan(prefix, prefix)) {
      tables.add(posting(value).table());
    }
    return tables;
  }

  /**
   * The peers whose rows of {@code table} may have {@code column} in {@code [low, high]}; a null
   * bound is unbounded. Bounds must be of the column's type: whole numbers (Long, Integer,
   * Short) for integer columns, decimals (BigDecimal, Double) for decimal and floating columns,
   * dates (LocalDate; a LocalDateTime counts as its date) for date columns, text otherwise.
   */
  public Set<PeerAddress> peersOverlapping(String table, String column, Object low, Object high) throws Exception {
    var prefix = List.<Object>of("r", table.toLowerCase(), column.toLowerCase());
    var peers = new java.util.LinkedHashSet<PeerAddress>();
    var lowKey = normalizeBound(low, false);
    var highKey = normalizeBound(high, true);
    // All of the column's postings in one scan (the same for every query on the column, so a
    // caching index answers it without the overlay), then the overlap test here.
    for (var decoded : postings(prefix)) {
      var posting = decoded.posting();
      var bucketLow = decoded.low();
      var bucketHigh = decoded.high();
      boolean startsBeforeHigh = highKey == null || !comparable(highKey, bucketLow) || compare(bucketLow, highKey) <= 0;
      boolean endsAfterLow = lowKey == null || !comparable(lowKey, bucketHigh) || compare(lowKey, bucketHigh) <= 0;
      if (startsBeforeHigh && endsAfterLow) {
        peers.add(new PeerAddress(posting.peer(), posting.address()));
      }
    }
    return peers;
  }

  /**
   * Every peer's buckets of a range-indexed column (the network's histogram of it), with their
   * rows and distinct values, in no particular order.
   */
  public List<RangeBucket> histogram(String table, String column) throws Exception {
    var prefix = List.<Object>of("r", table.toLowerCase(), column.toLowerCase());
    var buckets = new ArrayList<RangeBucket>();
    for (var decoded : postings(prefix)) {
      buckets.add(new RangeBucket(decoded.low(), decoded.high(), decoded.posting().rows(),
          decoded.posting().distinct()));
    }
    return buckets;
  }

  /** A posting as read, with a range posting's bounds already in their types. */
  private record Decoded(Posting posting, Object low, Object high) {
  }

  /** The decoded postings of the last scan of a prefix, and the scan's result they came from. */
  private record DecodedScan(List<byte[]> values, List<Decoded> postings) {
  }

  /**
   * Every posting under {@code prefix}. A caching index hands out the same result list while it
   * keeps a scan, so the JSON is decoded once per scan result, not once per query.
   */
  private List<Decoded> postings(List<Object> prefix) throws Exception {
    var values = index.scan(prefix, prefix);
    var known = decodedScans.get(prefix);
    if (known != null && known.values() == values) {
      return known.postings();
    }
    var postings = new ArrayList<Decoded>(values.size());
    for (var value : values) {
      var posting = posting(value);
      postings.add(posting.type() == null
          ? new Decoded(posting, null, null)
          : new Decoded(posting, decode(posting.low(), posting.type()), decode(posting.high(), posting.type())));
    }
    var decoded = List.copyOf(postings);
    decodedScans.put(prefix, new DecodedScan(values, decoded));
    return decoded;
  }

  private Set<PublishedEntry> entries(ShareSummary summary) {
    var entries = new HashSet<PublishedEntry>();
    summary.tableRows().forEach((table, rows) -> {
      entries.add(new PublishedEntry(List.of("t", table, self.name()),
          json(new Posting(self.name(), self.address(), table, rows, null, null, null, 0))));
      for (var column : summary.tableColumns().getOrDefault(table, List.of())) {
        entries.add(new PublishedEntry(List.of("c", column, table, self.name()),
            json(new Posting(self.name(), self.address(), table, rows, null, null, null, 0))));
      }
    });
    for (var ranges : summary.ranges()) {
      int n = 0;
      for (var bucket : ranges.buckets()) {
        var type = typeOf(bucket.low());
        entries.add(new PublishedEntry(List.of("r", ranges.table(), ranges.column(), bucket.low(), self.name(), (long) n++),
            json(new Posting(self.name(), self.address(), ranges.table(), bucket.rows(), encode(bucket.low()),
                encode(bucket.high()), type, bucket.distinct()))));
      }
    }
    return entries;
  }

  /** Bound values in the types keys use; {@code upper} rounds a timestamp bound up to its date. */
  static Object normalizeBound(Object bound, boolean upper) {
    return switch (bound) {
      case null -> null;
      case Integer i -> (long) i;
      case Short s -> (long) s;
      case Long l -> l;
      case BigDecimal d -> d;
      case Double d -> BigDecimal.valueOf(d);
      case Float f -> BigDecimal.valueOf(f.doubleValue());
      case LocalDate d -> d;
      case LocalDateTime t -> t.toLocalDate();
      case java.sql.Date d -> d.toLocalDate();
      default -> bound.toString();
    };
  }

  private static String typeOf(Object value) {
    return switch (value) {
      case Long l -> "long";
      case BigDecimal d -> "decimal";
      case LocalDate d -> "date";
      default -> "string";
    };
  }

  private static String encode(Object value) {
    return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
  }

  private static Object decode(String text, String type) {
    return switch (type) {
      case "long" -> Long.parseLong(text);
      case "decimal" -> new BigDecimal(text);
      case "date" -> LocalDate.parse(text);
      default -> text;
    };
  }

  private static boolean comparable(Object a, Object b) {
    return a.getClass() == b.getClass()
        || (a instanceof Long && b instanceof BigDecimal) || (a instanceof BigDecimal && b instanceof Long);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    if (a instanceof Long l && b instanceof BigDecimal d) {
      return BigDecimal.valueOf(l).compareTo(d);
    }
    if (a instanceof BigDecimal d && b instanceof Long l) {
      return d.compareTo(BigDecimal.valueOf(l));
    }
    return ((Comparable) a).compareTo(b);
  }

  private static Posting posting(byte[] value) throws IOException {
    return JSON.readValue(value, Posting.class);
  }

  private static String json(Posting posting) {
    try {
      return JSON.writeValueAsString(posting);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An entry as this peer remembers publishing it. */
  record PublishedEntry(List<Object> key, String value) {
  }

  private record StoredEntry(List<String> key, List<String> types, String value) {
  }

  private Set<PublishedEntry> readPublished() throws IOException {
    if (!Files.exists(publishedFile)) {
      return Set.of();
    }
    var stored = JSON.readValue(publishedFile.toFile(), StoredEntry[].class);
    var entries = new HashSet<PublishedEntry>();
    for (var entry : stored) {
      var key = new ArrayList<Object>();
      for (int i = 0; i < entry.key().size(); i++) {
        key.add(decode(entry.key().get(i), entry.types().get(i)));
      }
      entries.add(new PublishedEntry(key, entry.value()));
    }
    return entries;
  }

  private void writePublished(Set<PublishedEntry> entries) {
    var stored = entries.stream().map(entry -> new StoredEntry(
        entry.key().stream().map(IndexDirectory::encode).toList(),
        entry.key().stream().map(IndexDirectory::typeOf).toList(), entry.value())).toList();
    try {
      Files.createDirectories(publishedFile.getParent());
      var temporary = Files.createTempFile(publishedFile.getParent(), "published", ".tmp");
      JSON.writeValue(temporary.toFile(), stored);
      Files.move(temporary, publishedFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + publishedFile, e);
    }
  }
}
