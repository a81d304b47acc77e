package io.peersql.peer;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of a normal peer; each can be overridden by an environment variable such as
 * {@code PEERSQL_PEER_NAME}.
 *
 * @param name the peer's unique name in the network
 * @param company the company that owns the peer
 * @param bootstrapUrl base URL of the bootstrap service
 * @param bootstrapSecret the secret the bootstrap issued to this peer when its company's admin
 *     created it; the peer logs in to the bootstrap as {@code name}/{@code bootstrapSecret}
 *     ({@code PEERSQL_PEER_BOOTSTRAP_SECRET}). Without it the peer does not register.
 * @param advertisedAddress base URL under which other parties reach this peer; by default
 *     {@code http://127.0.0.1:<server port>}
 * @param heartbeatInterval how often the peer tells the bootstrap it is alive
 * @param businessUser the JDBC user of the company's business users
 * @param businessPassword that user's password
 * @param tpch which slice of TPC-H sample data the peer holds
 */
@ConfigurationProperties("peersql.peer")
public record PeerProperties(
    @DefaultValue("peer-1") String name,
    @DefaultValue("company-1") String company,
    @DefaultValue("http://127.0.0.1:8600") String bootstrapUrl,
    String bootstrapSecret,
    String advertisedAddress,
    @DefaultValue("5s") Duration heartbeatInterval,
    @DefaultValue("analyst") String businessUser,
    @DefaultValue("analyst") String businessPassword,
    @DefaultValue TpchSlice tpch) {

  /**
   * A peer's part of the TPC-H sample data: part {@code part} of {@code partCount} at scale
   * factor {@code scale}. The reference tables NATION and REGION are held whole by part 1 only.
   *
   * @param enabled whether to load sample data when the store is empty
   * @param scale TPC-H scale factor
   * @param part this peer's part, 1-based
   * @param partCount number of parts the data is split into
   */
  public record TpchSlice(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("0.01") double scale,
      @DefaultValue("1") int part,
      @DefaultValue("1") int partCount) {

    /** Creates a TpchSlice, refusing impossible parts. */
    public TpchSlice {
      // Below 0.01 the generator repeats PARTSUPP keys, which the table's primary key refuses.
      if (scale < 0.01) {
        throw new IllegalArgumentException("peersql.peer.tpch.scale must be at least 0.01, got " + scale);
      }
      if (partCount < 1 || part < 1 || part > partCount) {
        throw new IllegalArgumentException("peersql.peer.tpch.part must be in 1.."
            + "peersql.peer.tpch.part-count, got part " + part + " of " + partCount);
      }
    }

    /** Whether this slice holds the reference tables NATION and REGION. */
    public boolean holdsReferenceTables() {
      return part == 1;
    }
  }
}
