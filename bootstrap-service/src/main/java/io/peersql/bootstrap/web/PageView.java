package io.peersql.bootstrap.web;

import java.util.List;
import java.util.function.Function;
import org.springframework.data.domain.Page;

/**
 * One page of a list: the items, the page number (0-based), the page size and the total count.
 */
public record PageView<T>(List<T> items, int page, int size, long total) {

  /** Maps a Spring Data page to a view, converting each item. */
  public static <E, T> PageView<T> of(Page<E> page, Function<E, T> view) {
    return new PageView<>(page.getContent().stream().map(view).toList(), page.getNumber(), page.getSize(),
        page.getTotalElements());
  }
}
