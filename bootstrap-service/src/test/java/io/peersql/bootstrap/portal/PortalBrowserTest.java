package io.peersql.bootstrap.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.peersql.bootstrap.ApiTestSupport;
import io.peersql.bootstrap.Fixtures;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The portal page in a real headless Chromium, loaded from the running service: a company
 * registers through the form, an admin signs in and sees its network, peers and global schema
 * as rendered by the page's JavaScript.
 */
@Tag("browser")
class PortalBrowserTest extends ApiTestSupport {

  @BeforeAll
  static void chromiumIsInstalled() {
    // CI installs Chromium (.ci/run); elsewhere the test is skipped when it is missing.
    if (System.getenv("CI") == null) {
      assumeTrue(Files.isExecutable(HeadlessChromium.BINARY), "Chromium is not installed at /usr/bin/chromium");
    }
  }

  private static String setValue(String id, String value) {
    return "document.getElementById('" + id + "').value = '" + value + "'";
  }

  @Test
  void aCompanyRegistersAndItsAdminSeesNetworksPeersAndTheSchema() throws Exception {
    var fixtures = new Fixtures(api(), provider());
    var company = unique("portal");
    var admin = fixtures.approvedCompany(company);
    var network = unique("portal-net");
    fixtures.network(admin, network);
    fixtures.schema(admin, network);
    var peerName = unique("portal-peer");
    Fixtures.register(fixtures.peer(admin, network, peerName), 9800);
    var idle = unique("portal-idle");
    fixtures.peer(admin, network, idle);

    try (var browser = HeadlessChromium.start()) {
      browser.navigate(api().baseUrl() + "/portal/");
      browser.await("document.readyState + ':' + (document.getElementById('register-form') !== null)",
          value -> value.equals("complete:true"), Duration.ofSeconds(20));

      var newcomer = unique("newcomer");
      browser.evaluate(String.join(";", setValue("reg-name", newcomer), setValue("reg-display-name", "Newcomer Ltd"),
          setValue("reg-email", "it@newcomer.example"), setValue("reg-admin", newcomer + "-admin"),
          setValue("reg-password", "newcomer-password"),
          "document.querySelector('#register-form button').click()"));
      var registered = browser.await("document.getElementById('register-message').textContent",
          text -> !text.isEmpty(), Duration.ofSeconds(20));
      assertThat(registered).contains("Company " + newcomer + " registered: PENDING");
      assertThat(provider().get("/api/companies/" + newcomer).json().path("state").asText()).isEqualTo("PENDING");

      browser.evaluate(String.join(";", setValue("login-username", company + "-admin"),
          setValue("login-password", "wrong-password-x"), "document.querySelector('#login-form button').click()"));
      assertThat(browser.await("document.getElementById('login-message').textContent",
          text -> !text.isEmpty(), Duration.ofSeconds(20))).contains("Sign-in failed");

      browser.evaluate(String.join(";", setValue("login-username", company + "-admin"),
          setValue("login-password", Fixtures.ADMIN_PASSWORD), "document.querySelector('#login-form button').click()"));
      var page = browser.await("document.getElementById('dashboard').hidden ? '' : document.body.innerText",
          text -> text.contains("Global schema") && text.contains("Recent events"), Duration.ofSeconds(30));
      assertThat(page).contains("Signed in as " + company + "-admin", "Network " + network, "APPROVED");
      assertThat(browser.evaluate("document.querySelector('[data-peer=\"" + peerName + "\"] .state').textContent"))
          .isEqualTo("ACTIVE");
      assertThat(browser.evaluate("document.querySelector('[data-peer=\"" + idle + "\"] .state').textContent"))
          .isEqualTo("STARTING");
      assertThat(browser.evaluate("document.querySelector('[data-table=\"orders\"]').innerText"))
          .contains("o_orderkey", "BIGINT", "primary key", "DECIMAL(12,2)", "o_date", "range index");
      assertThat(page).contains("Global schema, version 1", "http://127.0.0.1:9800");
    }
  }
}
