package io.distillguard.ingest.cluster;

import static io.distillguard.ingest.KafkaTestClients.committed;
import static io.distillguard.ingest.KafkaTestClients.producer;
import static io.distillguard.ingest.cluster.ClusterIngestFixture.CLI_TIMEOUT;
import static io.distillguard.ingest.cluster.ClusterIngestFixture.sendProfiles;
import static io.distillguard.ingest.cluster.ClusterIngestFixture.submit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.DeadLetter;
import io.distillguard.contract.QueryEvent;
import io.distillguard.ingest.IngestFixtures;
import io.distillguard.ingest.KafkaTestClients;
import io.distillguard.ingest.deadletter.DeadLetterJson;
import io.distillguard.ingest.metrics.IngestMetrics;
import io.distillguard.ingest.observe.ObservationSerialization;
import io.distillguard.observe.AccountObservation;
import io.distillguard.store.RecordFilter;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import io.distillguard.testkit.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job as a user runs it: the shaded job jar ({@code target/*-job.jar}) submitted with {@code
 * flink run} to a real standalone session cluster (JobManager and TaskManager in their own JVMs on
 * the {@code target/flink-lib} folder), reading and writing an in-process Kafka broker, writing the
 * embedded vector store in a directory it shares with this test.
 *
 * <p>One scenario, in order: submit; stop with a savepoint while events wait in the profile join's
 * keyed state; submit again from the savepoint (the second submission to the same cluster, which
 * fails when the job jar carries the tokenizer's native library); feed more events; read the job's
 * metrics from the REST API, edit the taxonomy file and see the running job take it; stop with
 * {@code --drain}. Every event then has exactly one observation and one stored record, and each
 * malformed line exactly one dead letter: checkpoints commit the Kafka transactions (read here
 * {@code read_committed}), the savepoint carries the pending events and source offsets, and the
 * vector store upserts by event id.
 */
class ClusterSubmitIT {

  static final int BATCH = 30;
  static final Duration OUTPUT_TIMEOUT = Duration.ofSeconds(90);

  @TempDir static Path dir;

  @RegisterExtension
  static final KafkaBrokerExtension kafka = KafkaTestClients.brokerWithIngestTopics(2);

  static StandaloneFlinkCluster flink;

  @BeforeAll
  static void start() throws Exception {
    flink = ClusterIngestFixture.startCluster("cluster-it", Duration.ofSeconds(60), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (flink != null) {
      flink.close();
    }
  }

  @Test
  void jobJarRunsOnASessionClusterAndSurvivesARedeployFromASavepoint() throws Exception {
    Path jobJar = ClusterIngestFixture.jobJar();
    List<String> accounts = IngestFixtures.accounts(4);
    List<QueryEvent> events = IngestFixtures.events(accounts, 2 * BATCH, 11L);
    List<String> malformed =
        List.of(
            "{\"event_id\":\"bad-1\",\"account_id\":\"acct-00\"}",
            "{\"event_id\":\"bad-2\",\"account_id\":\"acct-01\"}");
    Path storeDir = dir.resolve("store");
    Path taxonomy = dir.resolve("capabilities.yaml");
    try (var in = getClass().getClassLoader().getResourceAsStream("taxonomy/capabilities.yaml")) {
      Files.copy(in, taxonomy);
    }
    Path config = writeJobConfig(storeDir, taxonomy);
    Path savepoints = Files.createDirectories(dir.resolve("savepoints"));

    List<AccountProfile> profiles = IngestFixtures.profiles(accounts.subList(0, 3));
    try (KafkaProducer<String, String> producer = producer(kafka)) {
      sendProfiles(producer, profiles);
      send(producer, events.subList(0, BATCH), malformed.get(0));
    }

    // 1. first submission
    String jobId1 = submit(flink, jobJar, config, null);
    int released = awaitCommitted("observations", 20).size();

    // 2. stop with a savepoint (no drain: events still waiting for the watermark stay in state)
    String stopped = flink.cli(CLI_TIMEOUT, "stop", "-p", savepoints.toUri().toString(), jobId1);
    String savepoint =
        StandaloneFlinkCluster.extract(stopped, "Savepoint completed\\. Path: (\\S+)");
    flink.awaitJobState(jobId1, "FINISHED", Duration.ofSeconds(60));
    List<ConsumerRecord<String, String>> beforeRedeploy = committed(kafka, "observations");
    assertThat(beforeRedeploy.size())
        .as("events held in the profile join's state when the savepoint was taken")
        .isGreaterThanOrEqualTo(released)
        .isLessThan(BATCH);

    // 3. second submission to the same cluster, restored from the savepoint, then new events
    String jobId2 = submit(flink, jobJar, config, savepoint);
    // both enrich subtasks run on the taxonomy file as loaded at start (version 1 each) ...
    awaitMetrics(jobId2, m -> m.getOrDefault(IngestMetrics.TAXONOMY_VERSION, 0.0) == 2.0);
    // ... when an operator edits it: the running job takes the new version, no redeploy
    Files.writeString(taxonomy, Files.readString(taxonomy) + "\n# reviewed while the job runs\n");
    try (KafkaProducer<String, String> producer = producer(kafka)) {
      // Watermarks are not part of a savepoint: the restored profiles input holds events back
      // until it sees a profile again (or turns idle), as after any restart.
      sendProfiles(producer, profiles.subList(0, 2));
      send(producer, events.subList(BATCH, 2 * BATCH), malformed.get(1));
    }
    awaitCommitted("observations", beforeRedeploy.size() + 20);

    // 4. the operators' metrics, as the REST API (and so any reporter) sees them
    Map<String, Double> metrics =
        awaitMetrics(
            jobId2,
            m ->
                m.getOrDefault(IngestMetrics.EVENTS_IN, 0.0) >= BATCH + 1
                    && m.containsKey(IngestMetrics.STORE_LAST_WRITE_LATENCY_MS)
                    && m.getOrDefault(IngestMetrics.TAXONOMY_VERSION, 0.0) >= 3.0);
    assertThat(metrics.get(IngestMetrics.TAXONOMY_VERSION))
        .as("enrich subtasks that saw events after the edit use taxonomy version 2")
        .isBetween(3.0, 4.0);
    assertThat(metrics.get(IngestMetrics.EVENTS_IN)).isEqualTo(BATCH + 1.0);
    assertThat(metrics.get(IngestMetrics.DEAD_LETTERED)).isEqualTo(1.0);
    assertThat(metrics.get(IngestMetrics.EMBEDDED)).isPositive();
    assertThat(metrics.get(IngestMetrics.EMBEDDINGS_PRECOMPUTED)).isPositive();
    assertThat(metrics).containsKey(IngestMetrics.EMBEDDED_PER_SECOND);
    assertThat(metrics.get(IngestMetrics.RECORDS_STORED)).isPositive();
    assertThat(metrics).containsKey(IngestMetrics.STORE_WRITE_LATENCY_MS + "_p99");
    assertThat(metrics).containsKey(IngestMetrics.STORE_LAST_WRITE_LATENCY_MS);
    assertThat(metrics.get(IngestMetrics.OBSERVATIONS_OUT)).isGreaterThanOrEqualTo(20.0);

    // 5. drain: the watermark jumps to the end, the join releases what it holds, final commit
    flink.cli(CLI_TIMEOUT, "stop", "--drain", "-p", savepoints.toUri().toString(), jobId2);
    flink.awaitJobState(jobId2, "FINISHED", Duration.ofSeconds(60));

    List<AccountObservation> observations =
        committed(kafka, "observations").stream()
            .map(r -> ObservationSerialization.fromJson(r.value()))
            .toList();
    assertThat(observations)
        .extracting(AccountObservation::taxonomyVersion)
        .as("the edit added a comment only: the taxonomy's version stays the same")
        .containsOnly(CapabilityTaxonomy.load(taxonomy).version());
    List<String> observed = observations.stream().map(AccountObservation::eventId).toList();
    assertThat(observed)
        .as("one observation per event across both runs: none lost, none repeated")
        .hasSize(events.size())
        .containsExactlyInAnyOrderElementsOf(events.stream().map(QueryEvent::eventId).toList());

    List<DeadLetter> dead =
        committed(kafka, "dead-letters").stream()
            .map(r -> DeadLetterJson.fromJson(r.value()))
            .toList();
    assertThat(dead).extracting(DeadLetter::line).containsExactlyInAnyOrderElementsOf(malformed);
    assertThat(dead).allSatisfy(d -> assertThat(d.reason()).contains("missing field"));

    try (VectorStore store = VectorStores.open(StoreSettings.embedded(storeDir))) {
      assertThat(store.count(RecordFilter.all())).isEqualTo(events.size());
      assertThat(store.count(RecordFilter.account("acct-00"))).isEqualTo(events.size() / 4);
    }
  }

  private static Path writeJobConfig(Path storeDir, Path taxonomy) throws Exception {
    return ClusterIngestFixture.writeJobConfig(
        dir,
        kafka,
        "cluster-it",
        storeDir,
        // long enough that nothing counts as idle during the test: which events wait in the
        // join depends only on the data, not on timing
        "watermark.idleness = 10 min",
        "taxonomy.file = " + taxonomy,
        "taxonomy.check-interval = 1 s");
  }

  /**
   * Sums the job's {@value IngestMetrics#GROUP} metrics over operators and subtasks, by name, and
   * returns them once {@code done} holds.
   */
  private static Map<String, Double> awaitMetrics(String jobId, Predicate<Map<String, Double>> done)
      throws Exception {
    return Awaitility.await("the job's metrics")
        .atMost(OUTPUT_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> metricSums(jobId), done::test);
  }

  private static Map<String, Double> metricSums(String jobId) throws Exception {
    Map<String, Double> sums = new HashMap<>();
    for (JsonNode vertex : flink.rest("/jobs/" + jobId).path("vertices")) {
      String base = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/metrics";
      List<String> ids = new ArrayList<>();
      for (JsonNode m : flink.rest(base)) {
        String id = m.path("id").asText();
        if (id.contains("." + IngestMetrics.GROUP + ".")) {
          ids.add(id);
        }
      }
      if (ids.isEmpty()) {
        continue;
      }
      for (JsonNode m : flink.rest(base + "?get=" + String.join(",", ids))) {
        String id = m.path("id").asText();
        String name = id.substring(id.lastIndexOf('.') + 1);
        sums.merge(name, Double.parseDouble(m.path("value").asText()), Double::sum);
      }
    }
    return sums;
  }

  private static void send(
      KafkaProducer<String, String> producer, List<QueryEvent> batch, String bad) {
    ClusterIngestFixture.sendEvents(producer, batch);
    producer.send(new ProducerRecord<>("events", 0, "acct-00", bad));
    producer.flush();
  }

  /** Waits until a topic holds at least {@code expected} committed records; returns them. */
  private static List<ConsumerRecord<String, String>> awaitCommitted(String topic, int expected)
      throws Exception {
    try {
      return Awaitility.await("committed records on " + topic)
          .atMost(OUTPUT_TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> committed(kafka, topic), r -> r.size() >= expected);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "fewer than " + expected + " committed records on " + topic + "\n" + flink.logTails(), e);
    }
  }
}
