package io.distillguard.actors.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.escalation.WebhookReceiver;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: Debian's headless Chromium driven through its chromedriver
 * (Selenium) against the actor service on loopback, over a small recorded scenario. A reviewer
 * enters the token, walks the queue with the keyboard, opens the sweeping account, sees the off-use
 * categories highlighted, the evidence prompts with their neighbours and the level timeline, and
 * clears the case with a note; the webhook and the audit entry follow. Then a campaign: its row in
 * the queue, its page (members, link graph, union coverage) and a confirmation with a note, which
 * the audit log records. Screenshots go to {@code target/console-screenshots/}. Any error the page
 * logs (a CSP or Trusted Types violation among them) fails the test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

  private static final Path SHOTS = Path.of("target", "console-screenshots");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private static ConsoleScenario scenario;
  private static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    scenario = ConsoleScenario.start(dir);
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,800",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    browser.manage().window().setSize(new Dimension(1280, 800));
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (scenario != null) {
      scenario.close();
    }
  }

  @Test
  @Order(1)
  void aReviewerDecidesACaseFromThePages() throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

    // The queue: the data needs the token; the page asks for it.
    browser.get(scenario.baseUrl() + "/");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")))
        .sendKeys(ConsoleScenario.TOKEN + "\n");
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr.case"), 2));
    // The one error expected: the first data request, made before the token was entered.
    assertThat(browser.manage().logs().get(LogType.BROWSER).getAll())
        .allMatch(
            e -> e.getMessage().contains("/console/api/cases") && e.getMessage().contains("401"));
    List<WebElement> rows = browser.findElements(By.cssSelector("tr.case"));
    // THROTTLE before REVIEW; the ordinary account is no case.
    assertThat(rows.get(0).findElement(By.cssSelector("a.account")).getText())
        .isEqualTo(ConsoleScenario.SWEEP);
    assertThat(rows.get(0).getText()).contains("THROTTLE");
    assertThat(rows.get(0).findElement(By.cssSelector("td.why")).getDomProperty("textContent"))
        .startsWith("distinct_categories 4.00 ≥ 2.00 · rules:")
        .contains("four-categories");
    assertThat(rows.get(1).getText()).contains(ConsoleScenario.SECOND).contains("REVIEW");
    assertThat(browser.findElement(By.id("count")).getText()).isEqualTo("2 of 2 open cases");

    // Filtering by rule keeps only the case it fired on.
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("f-rule")))
        .selectByVisibleText("four-categories");
    assertThat(browser.findElements(By.cssSelector("tr.case"))).hasSize(1);
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("f-rule")))
        .selectByVisibleText("all");
    assertThat(browser.findElements(By.cssSelector("tr.case"))).hasSize(2);

    // j / k move the selection; Enter opens it.
    browser.findElement(By.tagName("body")).click();
    new Actions(browser).sendKeys("j").perform();
    assertThat(selectedAccount()).isEqualTo(ConsoleScenario.SECOND);
    new Actions(browser).sendKeys("k").perform();
    assertThat(selectedAccount()).isEqualTo(ConsoleScenario.SWEEP);
    screenshot("cases.png");
    new Actions(browser).sendKeys("\n").perform();

    // The account page.
    awaitLoaded(wait);
    assertThat(browser.getCurrentUrl()).endsWith("account.html?id=" + ConsoleScenario.SWEEP);
    assertThat(browser.findElement(By.id("level")).getText()).isEqualTo("THROTTLE");
    // The stated use verbatim, with its right-to-left override shown as a mark.
    WebElement stated = browser.findElement(By.cssSelector("#stated-use .stated"));
    assertThat(stated.getText()).startsWith("Customer support for our shoe store");
    assertThat(stated.findElement(By.cssSelector(".mark")).getText()).isEqualTo("⟦U+202E⟧");
    // Why flagged, with thresholds.
    assertThat(browser.findElement(By.id("reasons-body")).getText())
        .contains("four-categories")
        .contains("distinct_categories")
        .contains("≥ 4");
    // Off-use categories highlighted: the three the stated use does not explain.
    List<String> offUse =
        browser.findElements(By.cssSelector("#off-use-categories li.off-use")).stream()
            .map(WebElement::getText)
            .toList();
    assertThat(offUse).hasSize(3);
    assertThat(offUse).noneMatch(s -> s.startsWith(ConsoleScenario.HOME + ":"));
    assertThat(browser.findElements(By.cssSelector("#coverage-chart canvas"))).isNotEmpty();
    // Traffic by category and day: drawn, the three off-use categories marked.
    assertThat(browser.findElements(By.cssSelector("#category-day-chart canvas"))).isNotEmpty();
    assertThat(browser.findElement(By.id("category-day-chart")).getDomAttribute("data-off-use"))
        .isEqualTo("3");
    shotOf("category-day-chart", 800, "account-heatmap.png");
    // The timeline: a chart, the verification time and the three level changes.
    assertThat(browser.findElements(By.cssSelector("#timeline-chart canvas"))).isNotEmpty();
    assertThat(browser.findElements(By.cssSelector("#level-changes li.verified"))).hasSize(1);
    assertThat(
            browser.findElements(By.cssSelector("#level-changes li.level-change")).stream()
                .map(WebElement::getText)
                .toList())
        .anyMatch(s -> s.contains("OK → WATCH"))
        .anyMatch(s -> s.contains("WATCH → REVIEW"))
        .anyMatch(s -> s.contains("REVIEW → THROTTLE"));
    // The evidence: the off-use prompts weigh most; one expands to its nearest neighbours.
    List<WebElement> prompts = browser.findElements(By.cssSelector("#evidence li.prompt-item"));
    assertThat(prompts).hasSizeGreaterThanOrEqualTo(6);
    assertThat(prompts.get(0).findElement(By.cssSelector("pre.prompt")).getText())
        .isNotIn(ConsoleScenario.PROMPTS.get(0), ConsoleScenario.PROMPTS.get(1));
    WebElement first = prompts.get(0);
    // The heaviest is the newest off-use prompt, the long one.
    assertThat(first.findElement(By.cssSelector("pre.prompt")).getDomProperty("textContent"))
        .isEqualTo(ConsoleScenario.PROMPTS.get(7));
    first.findElement(By.tagName("button")).click();
    wait.until(d -> !first.findElements(By.cssSelector(".neighbours li.neighbour")).isEmpty());
    screenshot("account.png");

    // A decision needs a note.
    browser.findElement(By.id("reviewer")).sendKeys("rev-ana");
    browser.findElement(By.id("clear")).click();
    assertThat(browser.findElement(By.id("decision-msg")).getText()).contains("note");
    // Clear with a note.
    browser.findElement(By.id("note")).sendKeys("Sweep was a load test by the shop's agency");
    browser.findElement(By.id("clear")).click();
    wait.until(ExpectedConditions.textToBe(By.id("level"), "CLEARED"));
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr.audit-entry"), 1));
    assertThat(browser.findElement(By.cssSelector("tr.audit-entry")).getText())
        .contains("CLEARED")
        .contains("rev-ana")
        .contains("Sweep was a load test by the shop's agency");
    screenshot("account-cleared.png");

    // The webhook: the review system hears that the account was cleared.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(scenario.receiver.received())
                    .filteredOn(r -> r.type().equals("account.cleared"))
                    .extracting(WebhookReceiver.Received::accountId)
                    .containsExactly(ConsoleScenario.SWEEP));
    // The audit entry, as the API serves it.
    JsonNode page = getJson("/console/api/accounts/" + ConsoleScenario.SWEEP);
    assertThat(page.path("audit")).hasSize(1);
    assertThat(page.path("audit").get(0).path("reviewer").asText()).isEqualTo("rev-ana");
    assertThat(page.path("audit").get(0).path("note").asText())
        .isEqualTo("Sweep was a load test by the shop's agency");

    // Back on the queue only the second case is left.
    browser.get(scenario.baseUrl() + "/console/");
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr.case"), 1));
    assertThat(selectedAccount()).isEqualTo(ConsoleScenario.SECOND);

    List<LogEntry> errors =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
            .toList();
    assertThat(errors).as("errors the pages logged").isEmpty();
  }

  @Test
  @Order(2)
  void aReviewerConfirmsACampaignFromItsPage(@TempDir Path campaignDir) throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    try (CampaignScenario campaign = CampaignScenario.start(campaignDir)) {
      // A new origin: the page asks for the token again.
      browser.get(campaign.baseUrl() + "/console/");
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")))
          .sendKeys(CampaignScenario.TOKEN + "\n");
      wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr.case.campaign"), 1));
      browser.manage().logs().get(LogType.BROWSER); // the 401 before the token, as above
      WebElement row = browser.findElement(By.cssSelector("tr.case.campaign"));
      assertThat(row.getText()).contains("campaign ×8").contains("REVIEW");
      assertThat(row.findElement(By.cssSelector("a.account")).getText())
          .isEqualTo(campaign.campaignId);
      assertThat(row.findElement(By.cssSelector("td.why")).getDomProperty("textContent"))
          .contains("split-sweep");
      // Filtered like the account rows.
      new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("f-rule")))
          .selectByVisibleText("split-sweep");
      assertThat(browser.findElements(By.cssSelector("tr.case"))).hasSize(1);
      browser.findElement(By.cssSelector("tr.case.campaign a.account")).click();

      // The campaign page: members with their levels, the graph, union coverage.
      awaitLoaded(wait);
      assertThat(browser.getCurrentUrl()).endsWith("/console/campaigns/" + campaign.campaignId);
      assertThat(browser.findElement(By.id("level")).getText()).isEqualTo("REVIEW");
      List<WebElement> members = browser.findElements(By.cssSelector("tr.member"));
      assertThat(members).hasSize(CampaignScenario.MEMBERS);
      assertThat(members.get(0).findElement(By.cssSelector("a.account")).getDomAttribute("href"))
          .startsWith("/console/account.html?id=" + CampaignScenario.PREFIX);
      assertThat(members.get(0).findElements(By.cssSelector(".level"))).hasSize(1);
      assertThat(browser.findElements(By.cssSelector("#graph-chart canvas"))).isNotEmpty();
      assertThat(browser.findElements(By.cssSelector("#coverage-chart canvas"))).isNotEmpty();
      assertThat(browser.findElement(By.id("reasons-body")).getText()).contains("split-sweep");
      // Every campaign signal, at its decision and now, one row each (the table is folded away).
      List<WebElement> signals = browser.findElements(By.cssSelector("#signals-body tr"));
      assertThat(signals).hasSizeGreaterThan(20);
      assertThat(signals)
          .allSatisfy(tr -> assertThat(tr.findElements(By.tagName("td"))).hasSize(3));
      assertThat(
              signals.stream()
                  .map(tr -> tr.findElements(By.tagName("td")).get(0).getDomProperty("textContent"))
                  .toList())
          .contains("escalated_members", "complementarity", "members");
      assertThat(browser.findElements(By.cssSelector("#links-body tr")))
          .isNotEmpty()
          .allSatisfy(
              tr ->
                  assertThat(tr.findElements(By.tagName("td")).get(2).getText())
                      .matches("[0-9a-f]{16}"));
      assertThat(browser.findElement(By.id("coverage-summary")).getText())
          .contains("the union (top row) covers");
      screenshot("campaign.png");
      // The link evidence and the coverage in one taller shot (the README's campaign picture).
      shotOf("graph-chart", 1300, "campaign-links.png");

      // Confirm with a note through the page.
      browser.findElement(By.id("reviewer")).clear();
      browser.findElement(By.id("reviewer")).sendKeys("rev-ana");
      browser.findElement(By.id("confirm")).click();
      assertThat(browser.findElement(By.id("decision-msg")).getText()).contains("note");
      browser.findElement(By.id("note")).sendKeys("One scaffold, one sign-up burst, split sweep");
      browser.findElement(By.id("confirm")).click();
      wait.until(ExpectedConditions.textToBe(By.id("level"), "CONFIRMED"));
      wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr.audit-entry"), 1));
      assertThat(browser.findElement(By.cssSelector("tr.audit-entry")).getText())
          .contains("CONFIRMED")
          .contains("rev-ana")
          .contains("One scaffold, one sign-up burst, split sweep");

      // The review system had the campaign's review request, naming every member.
      assertThat(campaign.receiver.received())
          .filteredOn(r -> r.type().equals("campaign.review_requested"))
          .isNotEmpty();
      // The audit entry, written before the verdict.
      JsonNode audit = getJson(campaign.baseUrl(), "/v1/audit?limit=1000", CampaignScenario.TOKEN);
      assertThat(audit.path("entries"))
          .filteredOn(e -> e.path("action").asText().equals("campaign.review"))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.path("account_id").asText()).isEqualTo(campaign.campaignId);
                assertThat(e.path("detail").asText()).contains("CONFIRMED").contains("rev-ana");
              });

      // Back on the queue the campaign is decided and gone.
      browser.get(campaign.baseUrl() + "/console/");
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("count")));
      wait.until(d -> d.findElement(By.id("count")).getText().endsWith("open cases"));
      assertThat(browser.findElements(By.cssSelector("tr.case.campaign"))).isEmpty();

      List<LogEntry> errors =
          browser.manage().logs().get(LogType.BROWSER).getAll().stream()
              .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
              .toList();
      assertThat(errors).as("errors the pages logged").isEmpty();
    }
  }

  /** Waits for the account page's data; on a timeout, fails with what the page said and logged. */
  private static void awaitLoaded(WebDriverWait wait) {
    try {
      wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-loaded", "true"));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          "the page did not load: "
              + browser.findElement(By.id("error")).getText()
              + "; browser log: "
              + browser.manage().logs().get(LogType.BROWSER).getAll(),
          e);
    }
  }

  private static String selectedAccount() {
    return browser.findElement(By.cssSelector("tr.case.selected a.account")).getText();
  }

  /**
   * A screenshot with the element {@code id} at the top of a window {@code height} pixels high; the
   * window is 1280×800 again afterwards.
   */
  private static void shotOf(String id, int height, String name) throws Exception {
    browser.manage().window().setSize(new Dimension(1280, height));
    browser.executeScript(
        "window.dispatchEvent(new Event('resize'));"
            + " document.getElementById(arguments[0]).previousElementSibling.scrollIntoView();",
        id);
    screenshot(name);
    browser.manage().window().setSize(new Dimension(1280, 800));
    browser.executeScript("window.dispatchEvent(new Event('resize'));");
  }

  private static void screenshot(String name) throws Exception {
    Files.write(SHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
  }

  private static JsonNode getJson(String path) throws Exception {
    return getJson(scenario.baseUrl(), path, ConsoleScenario.TOKEN);
  }

  private static JsonNode getJson(String base, String path, String token) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
