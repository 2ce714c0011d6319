package io.distillguard.ingest;

import static io.distillguard.ingest.KafkaTestClients.producer;
import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.DeadLetter;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.ingest.deadletter.DeadLetterJson;
import io.distillguard.ingest.observe.ObservationSerialization;
import io.distillguard.observe.AccountObservation;
import io.distillguard.store.RecordFilter;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import io.distillguard.testkit.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster path against an in-process Kafka broker (one combined KRaft node): events and
 * profiles from topics, read bounded up to the latest offsets, observations and dead letters to
 * topics.
 */
class KafkaIngestIT {

  static final int EVENTS = 40;

  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniClusters.oneTaskManager(2);

  @RegisterExtension
  static final KafkaBrokerExtension kafka = KafkaTestClients.brokerWithIngestTopics(1);

  @Test
  void eventsAndProfilesFromTopicsBecomeObservationsAndDeadLettersOnTopics(@TempDir Path dir)
      throws Exception {
    List<String> accounts = IngestFixtures.accounts(4);
    List<AccountProfile> profiles = IngestFixtures.profiles(accounts.subList(0, 3));
    List<QueryEvent> events = IngestFixtures.events(accounts, EVENTS, 5L);
    String malformed = "{\"event_id\":\"bad\",\"account_id\":\"acct-00\"}";

    try (KafkaProducer<String, String> producer = producer(kafka)) {
      for (AccountProfile p : profiles) {
        producer.send(
            new ProducerRecord<>("profiles", p.accountId(), IngestFixtures.CODEC.writeProfile(p)));
      }
      for (QueryEvent e : events) {
        producer.send(
            new ProducerRecord<>("events", e.accountId(), IngestFixtures.CODEC.writeEvent(e)));
      }
      producer.send(new ProducerRecord<>("events", "acct-00", malformed));
      // Tombstones: on the profiles topic a deletion, on the events topic an empty record.
      producer.send(new ProducerRecord<>("profiles", accounts.get(2), null));
      producer.send(new ProducerRecord<>("events", "acct-00", null));
      producer.flush();
    }

    long startedAt = System.currentTimeMillis();
    StoreSettings store = StoreSettings.embedded(dir.resolve("data"));
    IngestSettings settings =
        IngestSettings.defaults().withParallelism(2).withEmbedder(new EmbedderSettings(2, 128, 32));
    new IngestJob(
            IngestSources.kafka(kafka.bootstrapServers(), "profiles", "events", "ingest-it", true),
            IngestSinks.kafka(kafka.bootstrapServers(), "observations", "dead-letters", store),
            settings)
        .execute(StreamExecutionEnvironment.getExecutionEnvironment());

    List<ConsumerRecord<String, String>> observed = consumeAll("observations", EVENTS);
    assertThat(observed).hasSize(EVENTS);
    for (ConsumerRecord<String, String> r : observed) {
      AccountObservation o = ObservationSerialization.fromJson(r.value());
      assertThat(r.key()).isEqualTo(o.accountId());
      assertThat(o.category()).isNotBlank();
      // publish time, not the (weeks old) event time: retention must not delete a backfill
      assertThat(r.timestamp()).as("record timestamp").isGreaterThanOrEqualTo(startedAt);
    }
    assertThat(observed.stream().map(r -> ObservationSerialization.fromJson(r.value()).eventId()))
        .containsExactlyInAnyOrderElementsOf(events.stream().map(QueryEvent::eventId).toList());

    List<ConsumerRecord<String, String>> dead = consumeAll("dead-letters", 2);
    assertThat(dead).hasSize(2);
    List<DeadLetter> letters = dead.stream().map(r -> DeadLetterJson.fromJson(r.value())).toList();
    assertThat(letters).allSatisfy(d -> assertThat(d.source()).isEqualTo("events"));
    assertThat(letters)
        .extracting(DeadLetter::line, DeadLetter::reason)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(malformed, "missing field: timestamp"),
            org.assertj.core.groups.Tuple.tuple("", "not JSON: empty line"));
    assertThat(dead).allSatisfy(r -> assertThat(r.timestamp()).isGreaterThanOrEqualTo(startedAt));

    try (VectorStore s = VectorStores.open(store)) {
      assertThat(s.count(RecordFilter.all())).isEqualTo(EVENTS);
    }
  }

  /** Reads a topic from the beginning until {@code expected} records arrived or 20 s passed. */
  private static List<ConsumerRecord<String, String>> consumeAll(String topic, int expected) {
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        KafkaTestClients.fromBeginning(kafka, topic, "read_uncommitted")) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // a little longer, to catch anything beyond the expected count
      consumer.poll(Duration.ofMillis(300)).forEach(out::add);
    }
    return out;
  }
}
