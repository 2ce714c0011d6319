package io.distillguard.ingest;

import static io.distillguard.ingest.KafkaTestClients.committedValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distillguard.contract.QueryEvent;
import io.distillguard.ingest.observe.ObservationSerialization;
import io.distillguard.observe.AccountObservation;
import io.distillguard.testkit.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kafka.delivery-guarantee = at-least-once} with checkpointing on: observations reach a
 * {@code read_committed} consumer (the actor service) as they are processed, not with the next
 * checkpoint. Here the checkpoint interval is ten minutes, so nothing the consumer reads within the
 * test can have come through a checkpoint's transaction commit; under exactly-once it would read
 * nothing for those ten minutes.
 */
class AtLeastOnceLatencyIT {

  static final int ACCOUNTS = 4;
  static final int EVENTS = 40;

  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniClusters.oneTaskManager(2);

  @RegisterExtension
  static final KafkaBrokerExtension kafka = KafkaTestClients.brokerWithIngestTopics(1);

  @Test
  void observationsAreReadableBeforeAnyCheckpoint(@TempDir Path dir) throws Exception {
    List<String> accounts = IngestFixtures.accounts(ACCOUNTS);
    // One second apart in event time: the profile join releases an event once the watermark (5 s
    // of out-of-orderness) passes it, so all but the last few seconds come out while running.
    List<QueryEvent> events = IngestFixtures.events(accounts, EVENTS, 1L);
    KafkaTestClients.publish(kafka, accounts, events);

    IngestConfig config =
        KafkaTestClients.unboundedJob(
            kafka,
            "at-least-once-it",
            dir,
            "kafka.delivery-guarantee=at-least-once",
            "checkpoint.interval=10 min",
            "watermark.idleness=500 ms");
    JobClient job = KafkaTestClients.start(config);
    try {
      Set<String> expected = new HashSet<>(events.stream().map(QueryEvent::eventId).toList());
      await("observations readable by a read_committed consumer before any checkpoint")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> committedValues(kafka, "observations").size() >= EVENTS - 10);
      List<String> read =
          committedValues(kafka, "observations").stream()
              .map(ObservationSerialization::fromJson)
              .map(AccountObservation::eventId)
              .toList();
      assertThat(read).allSatisfy(id -> assertThat(expected).contains(id));
      assertThat(read).doesNotHaveDuplicates();
    } finally {
      job.cancel().get();
    }
  }
}
