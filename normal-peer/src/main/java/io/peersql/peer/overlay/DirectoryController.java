package io.peersql.peer.overlay;

import io.peersql.peer.index.IndexDirectory;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Asks the overlay's indexes, from this peer, which peers hold a table or may hold a range of a
 * range-indexed column; the same lookups the query engine makes.
 */
@RestController
class DirectoryController {

  private final OverlayMembership membership;

  DirectoryController(OverlayMembership membership) {
    this.membership = membership;
  }

  private IndexDirectory directory() {
    return membership.directory().orElseThrow(() -> new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
        "This peer has not joined the overlay yet"));
  }

  @GetMapping("/api/directory/tables/{table}")
  List<Map<String, Object>> holding(@PathVariable String table) throws Exception {
    return directory().peersHolding(table).entrySet().stream()
        .map(e -> Map.<String, Object>of("peer", e.getKey().name(), "address", e.getKey().address(), "rows", e.getValue()))
        .toList();
  }

  /** {@code low}/{@code high} are parsed as whole numbers, then dates (YYYY-MM-DD), else text. */
  @GetMapping("/api/directory/tables/{table}/columns/{column}")
  List<Map<String, Object>> overlapping(@PathVariable String table, @PathVariable String column,
      @RequestParam(required = false) String low, @RequestParam(required = false) String high) throws Exception {
    return directory().peersOverlapping(table, column, parse(low), parse(high)).stream()
        .map(peer -> Map.<String, Object>of("peer", peer.name(), "address", peer.address()))
        .toList();
  }

  private static Object parse(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      try {
        return LocalDate.parse(value);
      } catch (java.time.format.DateTimeParseException notDate) {
        try {
          return new java.math.BigDecimal(value);
        } catch (NumberFormatException notDecimal) {
          return value;
        }
      }
    }
  }
}
