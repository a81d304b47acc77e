package io.peersql.bootstrap.companies;

import io.peersql.bootstrap.web.Names;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What a company sends to register.
 *
 * @param name short unique name, used in URLs ({@code acme})
 * @param displayName full name ({@code ACME Trading Ltd})
 * @param contactEmail whom the provider writes to
 * @param admin the company's first admin account
 */
public record CompanyRegistration(
    @NotBlank @Size(max = 64) @Pattern(regexp = Names.PATTERN, message = Names.MESSAGE) String name,
    @NotBlank @Size(max = 200) String displayName,
    @NotBlank @Size(max = 254) @Email String contactEmail,
    @NotNull @Valid Admin admin) {

  /**
   * The admin account to create with the company.
   *
   * @param username unique login name
   * @param password at least 12 characters; stored hashed
   */
  public record Admin(
      @NotBlank @Size(max = 64) @Pattern(regexp = Names.PATTERN, message = Names.MESSAGE) String username,
      @NotNull @Size(min = 12, max = 128, message = "must be 12 to 128 characters long") String password) {
  }
}
