package io.peersql.bootstrap.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** Sends visitors of the service's root and of {@code /portal} to the portal page. */
@Controller
class PortalRedirect {

  @GetMapping({"/", "/portal", "/portal/"})
  String portal() {
    return "redirect:/portal/index.html";
  }
}
