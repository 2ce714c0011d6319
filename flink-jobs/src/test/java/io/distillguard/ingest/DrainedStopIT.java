package io.distillguard.ingest;

import static io.distillguard.ingest.KafkaTestClients.committedValues;
import static io.distillguard.ingest.KafkaTestClients.groupCaughtUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distillguard.contract.QueryEvent;
import io.distillguard.ingest.observe.ObservationSerialization;
import io.distillguard.observe.AccountObservation;
import io.distillguard.store.RecordFilter;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import io.distillguard.testkit.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A drained stop ({@code flink stop --drain}) of the unbounded Kafka job, exactly-once, after its
 * inputs went quiet: every event accepted before the stop reaches the observations topic and the
 * vector store, including the last seconds of event time that the profile join holds until the
 * watermark passes them.
 *
 * <p>Why this needs its own test: once both topics are quiet for longer than {@code
 * watermark.idleness}, the sources announce themselves idle, and Flink 2.2 drops the final {@code
 * MAX_WATERMARK} that a drained stop sends from an idle source (FLINK-40499). The join then never
 * sees its watermark pass the held events; it must release them when its inputs end instead.
 */
class DrainedStopIT {

  static final int ACCOUNTS = 4;
  static final int EVENTS = 40;
  static final Duration IDLENESS = Duration.ofMillis(500);
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniClusters.oneTaskManager(2);

  @RegisterExtension
  static final KafkaBrokerExtension kafka = KafkaTestClients.brokerWithIngestTopics(1);

  @Test
  void aDrainedStopOfQuietInputsEmitsEveryEventTheJoinHeld(@TempDir Path dir) throws Exception {
    List<String> accounts = IngestFixtures.accounts(ACCOUNTS);
    // one second apart in event time: the join holds the last 5 s (the out-of-orderness)
    List<QueryEvent> events = IngestFixtures.events(accounts, EVENTS, 11L);
    KafkaTestClients.publish(kafka, accounts, events);

    Path store = dir.resolve("store");
    IngestConfig config =
        KafkaTestClients.unboundedJob(
            kafka,
            "drained-stop-it",
            dir,
            "kafka.transactional-id-prefix=drained-stop-it",
            "checkpoint.interval=1 s",
            "watermark.idleness=" + IDLENESS.toMillis() + " ms");
    JobClient job = KafkaTestClients.start(config);

    // The job read every event (its offsets are committed with a checkpoint), and then nothing
    // more comes out for well beyond the idleness: the inputs are quiet and the join holds the
    // rest for a watermark that no longer moves.
    await("the source read every event")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> groupCaughtUp(kafka, "drained-stop-it", "events"));
    AtomicInteger lastCount = new AtomicInteger(-1);
    await("no more observations while the inputs are quiet")
        .atMost(TIMEOUT)
        .during(IDLENESS.multipliedBy(6))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              int now = committedValues(kafka, "observations").size();
              return lastCount.getAndSet(now) == now;
            });
    int beforeStop = lastCount.get();

    job.stopWithSavepoint(
            true, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
        .get();
    job.getJobExecutionResult().get();

    List<String> observed =
        committedValues(kafka, "observations").stream()
            .map(ObservationSerialization::fromJson)
            .map(AccountObservation::eventId)
            .toList();
    assertThat(beforeStop).as("events held by the join before the stop").isLessThan(EVENTS);
    assertThat(observed)
        .as("one observation per event after the drained stop")
        .containsExactlyInAnyOrderElementsOf(events.stream().map(QueryEvent::eventId).toList());
    try (VectorStore s = VectorStores.open(StoreSettings.embedded(store))) {
      assertThat(s.count(RecordFilter.all())).as("vector-store records").isEqualTo(EVENTS);
    }
  }
}
