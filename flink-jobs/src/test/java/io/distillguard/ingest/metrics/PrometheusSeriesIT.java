package io.distillguard.ingest.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distillguard.contract.QueryEvent;
import io.distillguard.ingest.IngestConfig;
import io.distillguard.ingest.IngestFixtures;
import io.distillguard.ingest.KafkaTestClients;
import io.distillguard.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest job's series as Flink's Prometheus reporter names them, from a running job on Kafka:
 * every {@code flink_*} series that {@code deploy/monitoring/}'s alert rules and dashboard read
 * exists (the job's own counters, the Kafka source's backlog, restarts and checkpoints), so an
 * alert cannot silently watch a name that no job reports.
 */
class PrometheusSeriesIT {

  private static final Path MONITORING =
      Path.of("..").toAbsolutePath().normalize().resolve("deploy/monitoring");
  private static final Pattern FLINK_SERIES = Pattern.compile("\\b(flink_[A-Za-z_]+)");

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setConfiguration(reporter())
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @RegisterExtension
  static final KafkaBrokerExtension kafka = KafkaTestClients.brokerWithIngestTopics(1);

  private static Configuration reporter() {
    Configuration c = new Configuration();
    c.setString(
        "metrics.reporter.inprocess.factory.class",
        InProcessPrometheusReporter.Factory.class.getName());
    return c;
  }

  @Test
  void theSeriesTheAlertsAndTheDashboardReadExist(@TempDir Path dir) throws Exception {
    List<String> accounts = IngestFixtures.accounts(3);
    List<QueryEvent> events = IngestFixtures.events(accounts, 30, 1L);
    KafkaTestClients.publish(kafka, accounts, events);
    try (KafkaProducer<String, String> producer = KafkaTestClients.producer(kafka)) {
      producer.send(new ProducerRecord<>("events", "acct-00", "{\"event_id\":\"bad\"}"));
    }
    IngestConfig config =
        KafkaTestClients.unboundedJob(
            kafka,
            "prometheus-series-it",
            dir,
            "kafka.delivery-guarantee=at-least-once",
            "checkpoint.interval=1 s",
            "watermark.idleness=500 ms");
    JobClient job = KafkaTestClients.start(config);
    try {
      await("the malformed line counted and a checkpoint completed")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                String scrape = InProcessPrometheusReporter.scrapeAll();
                return value(
                            scrape, "flink_taskmanager_job_task_operator_distillguard_deadLettered")
                        >= 1
                    && value(scrape, "flink_jobmanager_job_numberOfCompletedCheckpoints") >= 1;
              });
      Set<String> scraped = names(InProcessPrometheusReporter.scrapeAll());
      Set<String> read = new TreeSet<>();
      read.addAll(flinkSeries(MONITORING.resolve("alerts.yml")));
      read.addAll(flinkSeries(MONITORING.resolve("grafana-dashboard.json")));
      assertThat(read)
          .contains(
              "flink_taskmanager_job_task_operator_pendingRecords",
              "flink_jobmanager_job_numRestarts",
              "flink_jobmanager_job_numberOfFailedCheckpoints");
      assertThat(scraped).containsAll(read);
    } finally {
      job.cancel().get();
    }
  }

  /** The series names a scrape holds. */
  private static Set<String> names(String scrape) {
    Set<String> out = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        out.add(line.split("[{ ]")[0]);
      }
    }
    return out;
  }

  /** The sum of a series' samples in a scrape (0 when absent). */
  private static double value(String scrape, String series) {
    double sum = 0;
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + "{") || line.startsWith(series + " ")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static Set<String> flinkSeries(Path file) throws IOException {
    Set<String> out = new TreeSet<>();
    Matcher m = FLINK_SERIES.matcher(Files.readString(file, StandardCharsets.UTF_8));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
