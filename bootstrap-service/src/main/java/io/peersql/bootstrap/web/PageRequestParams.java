package io.peersql.bootstrap.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;

/**
 * The {@code page} and {@code size} query parameters of a list endpoint, validated.
 *
 * @param page 0-based page number
 * @param size items per page, at most 100
 */
public record PageRequestParams(
    @Min(value = 0, message = "must be 0 or more") Integer page,
    @Min(value = 1, message = "must be between 1 and 100") @Max(value = 100, message = "must be between 1 and 100")
    Integer size) {

  /** A pageable over these parameters, 20 items a page by default, sorted by {@code sort}. */
  public Pageable toPageable(Sort sort) {
    return PageRequest.of(page == null ? 0 : page, size == null ? 20 : size, sort);
  }
}
