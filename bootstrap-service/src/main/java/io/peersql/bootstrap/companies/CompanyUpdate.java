package io.peersql.bootstrap.companies;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A change of a company's contact details. */
public record CompanyUpdate(
    @NotBlank @Size(max = 200) String displayName,
    @NotBlank @Size(max = 254) @Email String contactEmail) {
}
