package io.peersql.peer.index;

import java.util.List;
import java.util.Map;

/**
 * What a peer shares, as the overlay indexes advertise it: rows per global table (tables with
 * none are not advertised), the columns of each, and the value ranges of range-indexed columns.
 *
 * @param tableRows rows per global table the peer holds (lower-case names), only tables with rows
 * @param tableColumns columns per held table (lower-case names)
 * @param ranges ranges of the range-indexed columns of held tables
 */
public record ShareSummary(Map<String, Long> tableRows, Map<String, List<String>> tableColumns,
    List<ColumnRanges> ranges) {

  public ShareSummary {
    tableRows = Map.copyOf(tableRows);
    tableColumns = Map.copyOf(tableColumns);
    ranges = List.copyOf(ranges);
  }
}
