package io.distillguard.actors.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.distillguard.actors.escalation.Delivery;
import io.distillguard.actors.escalation.JournalTail;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the Grafana dashboard in {@code deploy/monitoring/} name only series that
 * exist: every {@code distillguard_*} one is in a real scrape of {@link ServiceMetrics}, every
 * ingest job counter is one the job registers ({@code IngestMetrics}), and the Flink manifests
 * configure the Prometheus reporter those series come from.
 */
class MonitoringManifestsTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path MONITORING = ROOT.resolve("deploy/monitoring");
  private static final Pattern OURS = Pattern.compile("\\b(distillguard_[a-z_]+)");
  private static final Pattern JOB =
      Pattern.compile("flink_taskmanager_job_task_operator_distillguard_([A-Za-z]+)");
  private static final Pattern REPORTER =
      Pattern.compile(
          "metrics\\.reporter\\.prom\\.factory\\.class: "
              + "org\\.apache\\.flink\\.metrics\\.prometheus\\.PrometheusReporterFactory");

  private static String text(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  /** Series names of a scrape after one sample of everything. */
  private static Set<String> scrapedNames() {
    ServiceMetrics m =
        new ServiceMetrics(
            () -> Map.of(Level.REVIEW, 2L), () -> Map.of(Delivery.Status.PENDING, 1L));
    m.levelChanged(Level.REVIEW, List.of(new Reason("r", "s", 1, 1)));
    m.delivered(
        new Delivery(
            "id",
            Delivery.Destination.REVIEW,
            "account.review_requested",
            "a",
            "REVIEW",
            "{}",
            Delivery.Status.DELIVERED,
            1,
            0,
            0,
            null,
            null,
            null,
            null),
        1000);
    m.decided(0, 1000);
    m.exhausted();
    m.consumerLag(() -> 3);
    m.projection("account-effects", () -> new JournalTail.Lag(4, 1000), () -> 1);
    m.memberFlags(() -> 2);
    m.retention(() -> 1_000, () -> 0);
    m.policyFile(() -> "refused");
    Set<String> names = new TreeSet<>();
    for (String line : m.scrape().split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        names.add(line.split("[{ ]")[0]);
      }
    }
    return names;
  }

  private static Set<String> ingestCounters() throws IOException {
    String src =
        text(
            ROOT.resolve(
                "flink-jobs/src/main/java/io/distillguard/ingest/metrics/IngestMetrics.java"));
    Set<String> out = new TreeSet<>();
    Matcher m =
        Pattern.compile("public static final String [A-Z_]+ = \"([A-Za-z]+)\";").matcher(src);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static void assertSeriesExist(String what, List<String> exprs) throws IOException {
    Set<String> scraped = scrapedNames();
    Set<String> counters = ingestCounters();
    assertThat(exprs).as(what).isNotEmpty();
    for (String expr : exprs) {
      Matcher ours = OURS.matcher(expr);
      while (ours.find()) {
        assertThat(scraped).as(what + ": " + expr).contains(ours.group(1));
      }
      Matcher job = JOB.matcher(expr);
      while (job.find()) {
        assertThat(counters).as(what + ": " + expr).contains(job.group(1));
      }
    }
  }

  @Test
  void alertRulesCoverWhatAnOperatorNeedsWithSeriesThatExist() throws IOException {
    JsonNode rules = new YAMLMapper().readTree(MONITORING.resolve("alerts.yml").toFile());
    List<String> names = new ArrayList<>();
    List<String> exprs = new ArrayList<>();
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        names.add(rule.path("alert").asText());
        exprs.add(rule.path("expr").asText());
        assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
      }
    }
    assertThat(names)
        .contains(
            "DistillGuardOutboxGrowing",
            "DistillGuardDeliveriesExhausted",
            "DistillGuardConsumerLagGrowing",
            "DistillGuardIngestLagGrowing",
            "DistillGuardEffectsBehind",
            "DistillGuardMemberFlagsStuck",
            "DistillGuardRetentionNotRunning",
            "DistillGuardPolicyFileRefused",
            "DistillGuardDeadLetterRateJump");
    assertSeriesExist("alerts.yml", exprs);
  }

  @Test
  void theDashboardShowsSeriesThatExist() throws IOException {
    JsonNode dash =
        new ObjectMapper().readTree(MONITORING.resolve("grafana-dashboard.json").toFile());
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : dash.path("panels")) {
      for (JsonNode t : panel.path("targets")) {
        exprs.add(t.path("expr").asText());
      }
    }
    assertThat(dash.path("panels").size()).isGreaterThanOrEqualTo(6);
    assertSeriesExist("grafana-dashboard.json", exprs);
  }

  @Test
  void flinkReportsToPrometheusInEveryDeployment() throws IOException {
    String compose = text(ROOT.resolve("deploy/compose/docker-compose.yml"));
    assertThat(REPORTER.matcher(compose).results().count())
        .as("jobmanager and taskmanager")
        .isEqualTo(2);
    assertThat(REPORTER.matcher(text(ROOT.resolve("deploy/k8s/flink-ingest.yaml"))).find())
        .isTrue();
  }
}
