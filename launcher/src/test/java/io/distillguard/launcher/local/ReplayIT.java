package io.distillguard.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.actors.escalation.WebhookReceiver.Answer;
import io.distillguard.launcher.demo.DemoTraffic;
import io.distillguard.launcher.demo.DemoTraffic.DemoAccount;
import io.distillguard.launcher.demo.DemoTraffic.Kind;
import io.distillguard.policy.Level;
import io.distillguard.store.RecordFilter;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the real parts: the ingest job on a Flink MiniCluster with real MiniLM
 * embeddings and the embedded vector store, the account actors on a one-node Pekko cluster with the
 * H2 journal, and signed webhooks to a real HTTP receiver on 127.0.0.1 that fails the first
 * attempts of every delivery.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayIT {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final Set<Kind> MUST_REACH_REVIEW =
      EnumSet.of(Kind.FAST_SWEEP, Kind.SLOW_SWEEP, Kind.RAMP_AFTER_VERIFICATION);
  private static final Set<Kind> MUST_STAY_BELOW_REVIEW =
      EnumSet.of(Kind.DOMAIN_APP, Kind.BATCH_PIPELINE);

  @TempDir static Path dir;

  private static DemoTraffic.Written traffic;
  private static long eventCount;

  /** The clean run every other run is compared with. */
  private static ReplayOutcome reference;

  private static List<String> referenceEscalations;

  @BeforeAll
  static void generateTraffic() throws IOException {
    traffic = DemoTraffic.write(dir.resolve("traffic"), 11, 0.5);
    try (var lines = Files.lines(traffic.events())) {
      eventCount = lines.count();
    }
  }

  @Test
  @Order(1)
  void campaignsReachReviewAndEveryWebhookArrivesOnceDespiteAFailingReceiver() throws Exception {
    Path data = dir.resolve("reference");
    try (WebhookReceiver receiver = failingFirst(2)) {
      reference = LocalPipeline.replay(request(data, receiver), quiet());

      assertThat(reference.succeeded()).as(reference.failureMessage()).isTrue();
      assertThat(reference.observations()).isEqualTo(eventCount);
      assertThat(reference.deadLetters()).isZero();
      assertThat(storedRecords(data)).isEqualTo(eventCount);

      for (DemoAccount a : traffic.accounts()) {
        Level level = reference.levelOf(a.accountId());
        if (MUST_REACH_REVIEW.contains(a.kind())) {
          assertThat(level)
              .as(a.accountId() + " (" + a.kind() + ")")
              .isIn(Level.REVIEW, Level.THROTTLE);
          assertThat(receiver.received())
              .as("a REVIEW escalation for " + a.accountId())
              .anyMatch(w -> a.accountId().equals(w.accountId()) && "REVIEW".equals(w.level()));
        }
        if (MUST_STAY_BELOW_REVIEW.contains(a.kind())) {
          assertThat(level).as(a.accountId() + " (" + a.kind() + ")").isIn(Level.OK, Level.WATCH);
        }
      }
      for (AccountStatus s : reference.accounts()) {
        assertThat(s.queriesObserved()).isEqualTo(queriesOf(s.accountId()));
      }

      // Every delivery verified, failed twice, and was accepted exactly once on the third try.
      assertThat(receiver.rejected()).isZero();
      assertThat(receiver.received()).isNotEmpty();
      for (WebhookReceiver.Received w : receiver.received()) {
        assertThat(receiver.acknowledged().get(w.webhookId())).isEqualTo(1);
        assertThat(receiver.attemptsOf(w.webhookId())).isEqualTo(3);
        assertThat(w.data().path("reasons").size()).isPositive();
        assertThat(w.data().path("queries_observed").asLong()).isPositive();
      }
      referenceEscalations = escalations(receiver);
      assertThat(referenceEscalations).doesNotHaveDuplicates();
    }
  }

  @Test
  @Order(2)
  void replayingTheSameFilesAgainCountsNothingTwice() throws Exception {
    Path data = dir.resolve("reference");
    try (WebhookReceiver receiver = failingFirst(0)) {
      ReplayOutcome again = LocalPipeline.replay(request(data, receiver), quiet());

      assertThat(again.succeeded()).as(again.failureMessage()).isTrue();
      assertThat(storedRecords(data)).isEqualTo(eventCount);
      assertThat(levels(again)).isEqualTo(levels(reference));
      for (AccountStatus s : again.accounts()) {
        assertThat(s.queriesObserved()).isEqualTo(queriesOf(s.accountId()));
      }
      assertThat(receiver.received()).as("no escalation is sent twice").isEmpty();
    }
  }

  @Test
  @Order(3)
  void aReplayKilledMidwayAndRestartedLosesAndDuplicatesNothing() throws Exception {
    Path data = dir.resolve("killed");
    try (WebhookReceiver receiver = failingFirst(0)) {
      long killedAt = runInChildJvmAndKill(request(data, receiver));
      assertThat(killedAt).as("killed before the end of the input").isLessThan(eventCount);

      ReplayOutcome resumed = LocalPipeline.replay(request(data, receiver), quiet());

      assertThat(resumed.succeeded()).as(resumed.failureMessage()).isTrue();
      assertThat(storedRecords(data)).isEqualTo(eventCount);
      assertThat(levels(resumed)).isEqualTo(levels(reference));
      for (AccountStatus s : resumed.accounts()) {
        assertThat(s.queriesObserved()).isEqualTo(queriesOf(s.accountId()));
      }
      // The same escalations as the clean run, none missing, none sent twice. (Webhook ids derive
      // from the account, the tipping event and the level; int8 batching can move a borderline
      // prompt's vector slightly between runs, so the tipping event may differ: compare what was
      // escalated, and that each escalation was accepted once.)
      assertThat(escalations(receiver)).containsExactlyInAnyOrderElementsOf(referenceEscalations);
    }
  }

  /**
   * Runs {@code ./distillguard replay} in a separate JVM and kills it (SIGKILL) as soon as it
   * reports observations; returns how many had been observed then.
   */
  private static long runInChildJvmAndKill(ReplayRequest r) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
    cmd.add("--add-opens=java.base/java.util=ALL-UNNAMED");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.distillguard.launcher.DistillGuardCli");
    cmd.addAll(
        List.of(
            "replay",
            "--profiles",
            r.profiles().toString(),
            "--events",
            r.events().toString(),
            "--webhook-url",
            r.webhookUrl(),
            "--webhook-secret",
            r.webhookSecret(),
            "--data-dir",
            r.dataDir().toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("DISTILLGUARD_LOG_DIR", dir.resolve("child-logs").toString());
    Process child = pb.start();
    Pattern progress = Pattern.compile("events observed\\s+([\\d,]+)");
    AtomicLong observed = new AtomicLong();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        Matcher m = progress.matcher(line);
        if (m.find()) {
          observed.set(Long.parseLong(m.group(1).replace(",", "")));
          // The first progress line that shows observations: progress comes every 3 s, so on a
          // fast machine waiting for a larger share could skip past the end of the input.
          if (observed.get() > 0) {
            break;
          }
        }
      }
    }
    assertThat(child.isAlive()).as("the child replay is still running when it is killed").isTrue();
    child.destroyForcibly();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return observed.get();
  }

  /**
   * A receiver that verifies every signature and fails the first attempts of every webhook id (500,
   * then 429 with {@code Retry-After: 1}, alternating) before it accepts.
   */
  private static WebhookReceiver failingFirst(int failuresPerId) throws IOException {
    WebhookReceiver receiver = WebhookReceiver.start(SECRET);
    receiver.answers(
        n ->
            n > failuresPerId
                ? Answer.ok()
                : n % 2 == 1 ? new Answer(500, null) : new Answer(429, "1"));
    return receiver;
  }

  private static ReplayRequest request(Path data, WebhookReceiver receiver) {
    return new ReplayRequest(
        traffic.profiles(),
        traffic.events(),
        data,
        receiver.reviewUrl(),
        SECRET,
        Optional.of(receiver.throttleUrl()),
        Optional.empty(),
        2);
  }

  private static long storedRecords(Path data) {
    try (VectorStore store = VectorStores.open(StoreSettings.embedded(data))) {
      return store.count(RecordFilter.all());
    }
  }

  private static long queriesOf(String accountId) {
    return traffic.accounts().stream()
        .filter(a -> a.accountId().equals(accountId))
        .mapToLong(DemoAccount::queries)
        .sum();
  }

  private static Map<String, Level> levels(ReplayOutcome o) {
    return o.accounts().stream()
        .collect(Collectors.toMap(AccountStatus::accountId, AccountStatus::level));
  }

  /** What was escalated, one entry per accepted webhook id: "type account level". */
  private static List<String> escalations(WebhookReceiver receiver) {
    return receiver.received().stream()
        .map(w -> w.type() + " " + w.accountId() + " " + w.level())
        .sorted()
        .toList();
  }

  @Test
  @Order(4)
  void exportWritesASignedCaseBundleOfACampaignAccount() throws Exception {
    DemoAccount campaign =
        traffic.accounts().stream()
            .filter(a -> MUST_REACH_REVIEW.contains(a.kind()))
            .findFirst()
            .orElseThrow();
    Path out = Files.createDirectories(dir.resolve("export"));
    StringWriter said = new StringWriter();
    int exit =
        io.distillguard.launcher.DistillGuardCli.commandLine()
            .setOut(new PrintWriter(said))
            .execute(
                "export",
                "--account",
                campaign.accountId(),
                "--data-dir",
                dir.resolve("reference").toString(),
                "--profiles",
                traffic.profiles().toString(),
                "--out",
                out.toString());
    assertThat(exit).as(said.toString()).isZero();
    Path bundle;
    try (var folders = Files.list(out)) {
      bundle = folders.findFirst().orElseThrow();
    }
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    byte[] manifest = Files.readAllBytes(bundle.resolve("manifest.json"));
    String pem = Files.readString(bundle.resolve("signing-key.pem"));
    var key =
        java.security.KeyFactory.getInstance("Ed25519")
            .generatePublic(
                new java.security.spec.X509EncodedKeySpec(
                    java.util.Base64.getMimeDecoder()
                        .decode(pem.replaceAll("-----[A-Z ]+-----", "").strip())));
    assertThat(
            io.distillguard.actors.console.BundleSigner.verify(
                key, manifest, Files.readAllBytes(bundle.resolve("manifest.sig"))))
        .isTrue();
    for (var f : json.readTree(manifest).path("files")) {
      byte[] content = Files.readAllBytes(bundle.resolve(f.path("path").asText()));
      assertThat(
              java.util.HexFormat.of()
                  .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content)))
          .as(f.path("path").asText())
          .isEqualTo(f.path("sha256").asText());
    }
    assertThat(json.readTree(bundle.resolve("profile.json").toFile()).path("stated_use").asText())
        .isEqualTo(campaign.statedUse());
    assertThat(json.readTree(bundle.resolve("decisions.json").toFile()))
        .anyMatch(d -> d.path("to").asText().equals("REVIEW"));
    assertThat(json.readTree(bundle.resolve("evidence.json").toFile()).path("prompts"))
        .isNotEmpty();
    assertThat(Files.readString(bundle.resolve("report.html")))
        .contains(campaign.accountId())
        .doesNotContain("<script");
  }

  private static PrintWriter quiet() {
    return new PrintWriter(new StringWriter());
  }
}
