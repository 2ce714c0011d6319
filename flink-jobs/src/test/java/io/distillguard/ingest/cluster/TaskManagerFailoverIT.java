package io.distillguard.ingest.cluster;

import static io.distillguard.ingest.KafkaTestClients.committedValues;
import static io.distillguard.ingest.KafkaTestClients.groupCaughtUp;
import static io.distillguard.ingest.KafkaTestClients.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillguard.contract.QueryEvent;
import io.distillguard.ingest.IngestFixtures;
import io.distillguard.ingest.KafkaTestClients;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TaskManager dies mid-stream: on the real standalone cluster of {@link ClusterSubmitIT} (the
 * shaded job jar, a JobManager and a TaskManager in their own JVMs, an in-process Kafka broker),
 * with checkpoints every second, the TaskManager JVM is killed with SIGKILL while events flow in
 * and a new TaskManager is started in its place. The job restarts from its last completed
 * checkpoint on the new TaskManager. Once the source has read every event, the job is stopped with
 * {@code stop --drain} while its inputs are idle and the profile join still holds the last seconds
 * of event time; after that stop every event has exactly one observation for a {@code
 * read_committed} consumer (the transactions of the dead TaskManager are aborted, never committed
 * twice) and exactly one record in the vector store (replayed events are upserted by event id).
 *
 * <p>The figures (events in, observations out, records, duplicates, time to recover) are logged
 * under {@code fault figures}.
 */
class TaskManagerFailoverIT {

  private static final Logger LOG = LoggerFactory.getLogger(TaskManagerFailoverIT.class);

  static final int ACCOUNTS = 8;
  static final int EVENTS = 1200;
  static final int WARM_UP = 100;
  static final int EVENTS_PER_TICK = 20;
  static final Duration TICK = Duration.ofMillis(400);
  // the profiles topic is written once, before the events: let it turn idle soon
  static final Duration IDLENESS = Duration.ofSeconds(5);
  // Generous: the machine may be shared with other builds.
  static final Duration OUTPUT_TIMEOUT = Duration.ofSeconds(120);

  @TempDir static Path dir;

  @RegisterExtension
  static final KafkaBrokerExtension kafka = KafkaTestClients.brokerWithIngestTopics(2);

  static StandaloneFlinkCluster flink;
  static ScheduledExecutorService feeder;
  static KafkaProducer<String, String> producer;

  @BeforeAll
  static void start() throws Exception {
    flink =
        ClusterIngestFixture.startCluster(
            "failover-it",
            Duration.ofSeconds(90),
            Map.of(
                // a killed TaskManager stops answering heartbeats: notice within seconds, not
                // the default 50 s (two failed heartbeat RPCs declare it lost)
                "heartbeat.interval", "1000",
                "heartbeat.timeout", "20000",
                "restart-strategy.type", "fixed-delay",
                "restart-strategy.fixed-delay.attempts", "50",
                "restart-strategy.fixed-delay.delay", "1 s"));
    feeder = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterAll
  static void stop() throws Exception {
    if (feeder != null) {
      feeder.shutdownNow();
      feeder.awaitTermination(10, TimeUnit.SECONDS);
    }
    if (producer != null) {
      producer.close();
    }
    if (flink != null) {
      flink.close();
    }
  }

  @Test
  void everyEventOnceAfterTheTaskManagerIsKilled() throws Exception {
    Path jobJar = ClusterIngestFixture.jobJar();
    List<String> accounts = IngestFixtures.accounts(ACCOUNTS);
    List<QueryEvent> events = events(accounts);
    Path storeDir = dir.resolve("store");
    Path config = writeJobConfig(storeDir);

    producer = producer(kafka);
    ClusterIngestFixture.sendProfiles(producer, IngestFixtures.profiles(accounts));

    String jobId = ClusterIngestFixture.submit(flink, jobJar, config, null);

    // warm-up: the job runs and commits output on checkpoints
    AtomicInteger sent = new AtomicInteger();
    sendUpTo(events, WARM_UP, sent);
    await("first committed observations")
        .atMost(OUTPUT_TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> committedValues(kafka, "observations").size() >= WARM_UP / 2);

    // then a steady stream: EVENTS_PER_TICK events every TICK, in event-time order
    feeder.scheduleAtFixedRate(
        () -> sendUpTo(events, sent.get() + EVENTS_PER_TICK, sent),
        0,
        TICK.toMillis(),
        TimeUnit.MILLISECONDS);
    await("more committed observations")
        .atMost(OUTPUT_TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> committedValues(kafka, "observations").size() >= WARM_UP + 100);

    // mid-stream: kill the TaskManager; an orchestrator starts a new one
    int sentAtKill = sent.get();
    int committedAtKill = committedValues(kafka, "observations").size();
    long killedAt = System.currentTimeMillis();
    flink.killTaskManager();
    flink.startTaskManager("taskmanager-2");
    LOG.info(
        "killed the TaskManager with SIGKILL after {} events sent, {} observations committed",
        sentAtKill,
        committedAtKill);
    assertThat(sentAtKill).as("the kill happens mid-stream").isLessThan(EVENTS - 200);

    // recovered: restored from the last checkpoint and checkpointing again on the new TaskManager
    JsonNode checkpoints =
        flink.awaitRest(
            "/jobs/" + jobId + "/checkpoints",
            c ->
                c.path("latest").path("restored").path("restore_timestamp").asLong() > killedAt
                    && c.path("latest").path("completed").path("latest_ack_timestamp").asLong()
                        > c.path("latest").path("restored").path("restore_timestamp").asLong(),
            OUTPUT_TIMEOUT,
            "a checkpoint completed after the restore");
    long restoredAt =
        checkpoints.path("latest").path("restored").path("restore_timestamp").asLong();
    long recoveredAt =
        checkpoints.path("latest").path("completed").path("latest_ack_timestamp").asLong();

    await("every event sent").atMost(OUTPUT_TIMEOUT).until(() -> sent.get() == EVENTS);
    feeder.shutdown();
    // The job has accepted every event once a checkpoint holds its source past the last one (the
    // source commits its offsets to the group on each checkpoint). The last seconds of event time
    // are still held by the profile join then: only the drained stop's end of input releases them.
    await("the source read every event")
        .atMost(OUTPUT_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> groupCaughtUp(kafka, "failover-it", "events"));
    // Then the inputs go idle (nothing read for longer than the idleness) and nothing more comes
    // out: the stop below is the idle-source drain that used to lose the held events.
    AtomicInteger committedBeforeStop = new AtomicInteger(-1);
    await("no more observations while the inputs are idle")
        .atMost(OUTPUT_TIMEOUT)
        .during(IDLENESS.multipliedBy(2))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              int now = committedValues(kafka, "observations").size();
              return committedBeforeStop.getAndSet(now) == now;
            });
    assertThat(flink.rest("/jobs/" + jobId + "/exceptions").toString())
        .as("the job failed over because its TaskManager was lost")
        .containsIgnoringCase("taskmanager");

    Path savepoints = Files.createDirectories(dir.resolve("savepoints"));
    flink.cli(
        ClusterIngestFixture.CLI_TIMEOUT,
        "stop",
        "--drain",
        "-p",
        savepoints.toUri().toString(),
        jobId);
    flink.awaitJobState(jobId, "FINISHED", Duration.ofSeconds(90));

    List<AccountObservation> observations =
        committedValues(kafka, "observations").stream()
            .map(ObservationSerialization::fromJson)
            .toList();
    assertThat(observations)
        .extracting(AccountObservation::taxonomyVersion)
        .as("every observation says which taxonomy it was made with")
        .containsOnly(CapabilityTaxonomy.loadDefault().version());
    List<String> observed = observations.stream().map(AccountObservation::eventId).toList();
    Map<String, Long> perEvent =
        observed.stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    long duplicates = observed.size() - perEvent.size();
    long records;
    Map<String, Long> recordsPerAccount = new java.util.TreeMap<>();
    try (VectorStore store = VectorStores.open(StoreSettings.embedded(storeDir))) {
      records = store.count(RecordFilter.all());
      for (String account : accounts) {
        recordsPerAccount.put(account, store.count(RecordFilter.account(account)));
      }
    }
    List<String> unobserved =
        events.stream().map(QueryEvent::eventId).filter(id -> !perEvent.containsKey(id)).toList();
    LOG.info(
        "records per account {}; events without an observation {}", recordsPerAccount, unobserved);
    LOG.info(
        "fault figures: events in {}, observations out {} ({} distinct, {} duplicates), "
            + "vector-store records {}; killed after {} events sent and {} observations "
            + "committed; {} observations committed before the drained stop; restored from "
            + "checkpoint {} {} s after the kill, first checkpoint on the new TaskManager {} s "
            + "after the kill",
        EVENTS,
        observed.size(),
        perEvent.size(),
        duplicates,
        records,
        sentAtKill,
        committedAtKill,
        committedBeforeStop.get(),
        checkpoints.path("latest").path("restored").path("id").asLong(),
        String.format("%.1f", (restoredAt - killedAt) / 1000.0),
        String.format("%.1f", (recoveredAt - killedAt) / 1000.0));

    assertThat(duplicates).as("observations committed twice").isZero();
    assertThat(perEvent.keySet())
        .as("one observation per event: none lost")
        .containsExactlyInAnyOrderElementsOf(events.stream().map(QueryEvent::eventId).toList());
    assertThat(recordsPerAccount)
        .as("records per account")
        .allSatisfy((account, n) -> assertThat(n).as(account).isEqualTo(EVENTS / ACCOUNTS));
    assertThat(records).as("one vector-store record per event").isEqualTo(EVENTS);
  }

  /** Sends the events from {@code sent} up to {@code upTo} (exclusive) and flushes. */
  private static void sendUpTo(List<QueryEvent> events, int upTo, AtomicInteger sent) {
    int from = sent.get();
    int to = Math.min(events.size(), upTo);
    ClusterIngestFixture.sendEvents(producer, events.subList(from, to));
    producer.flush();
    sent.set(to);
  }

  /**
   * {@link #EVENTS} events round-robin over the accounts, 250 ms apart in event time. Four in five
   * carry a precomputed embedding (the model is skipped, so the stream is fast enough to be cut
   * mid-way); the rest have a short prompt of their own for the model to embed.
   */
  private static List<QueryEvent> events(List<String> accounts) {
    String[] subjects = {"savings account", "mortgage rate", "quadratic equation", "sonnet"};
    String[] asks = {"How do I close my", "Explain the", "Give me an example of a", "Write a"};
    Random random = new Random(7);
    List<QueryEvent> out = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      String account = accounts.get(i % accounts.size());
      boolean prompt = i % 5 == 0;
      out.add(
          new QueryEvent(
              String.format("evt-%05d", i),
              account,
              IngestFixtures.START.plusMillis(250L * i),
              prompt ? asks[i % 4] + " " + subjects[(i / 4) % 4] + " (" + i + ")?" : null,
              prompt ? null : IngestFixtures.unitVector(random),
              "key-" + account,
              "model-x",
              20,
              100,
              null,
              null));
    }
    return out;
  }

  private static Path writeJobConfig(Path storeDir) throws Exception {
    return ClusterIngestFixture.writeJobConfig(
        dir, kafka, "failover-it", storeDir, "watermark.idleness = " + IDLENESS.toMillis() + " ms");
  }
}
