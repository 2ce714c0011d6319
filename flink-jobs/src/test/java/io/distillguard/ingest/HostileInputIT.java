package io.distillguard.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillguard.contract.Json;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.ingest.deadletter.DeadLetterJson;
import io.distillguard.ingest.observe.ObservationSerialization;
import io.distillguard.observe.AccountObservation;
import io.distillguard.observe.InProcessObservationChannel;
import io.distillguard.store.RecordFilter;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import io.distillguard.testkit.KafkaBrokerExtension;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input suite: over ten thousand generated hostile lines ({@link HostileInput}) mixed
 * with valid events in shuffled order, through the file path and through Kafka, on a MiniCluster at
 * parallelism 2 with the real model and the embedded store. The job finishes (no crash, no
 * restart), every refused line is dead-lettered once with the oracle's exact reason, every valid
 * event is stored once per (account, event) and observed once per accepted line, for every account,
 * the one whose id contains {@code |} included.
 */
class HostileInputIT {

  static final int VALID = 1_000;
  static final int HOSTILE = 10_000;
  static final EmbedderSettings EMBEDDER = new EmbedderSettings(2, 64, 32);

  @RegisterExtension static final MiniClusterExtension CLUSTER = MiniClusters.oneTaskManager(2);

  /** Keeps the shared model loaded between the runs (each run's operators release it). */
  @RegisterExtension static final HeldModel MODEL = HeldModel.of(EMBEDDER);

  @RegisterExtension
  static final KafkaBrokerExtension kafka =
      KafkaBrokerExtension.create()
          .withTopic("h-events", 3)
          .withTopic("h-profiles", 1)
          .withTopic("h-observations", 2)
          .withTopic("h-dead-letters", 2);

  private static IngestSettings settings() {
    return IngestSettings.defaults()
        .withParallelism(2)
        .withEmbedder(EMBEDDER)
        .withStoreBatch(256, Duration.ofMillis(200));
  }

  @Test
  void aHostileFileIsDeadLetteredLineByLineAndEveryValidEventIsStoredOnce(@TempDir Path dir)
      throws Exception {
    HostileInput in = new HostileInput(12L, VALID, HOSTILE, true);
    // Two thirds are built to be refused; the rest are random mutations the oracle judges.
    assertThat(in.events.size() - in.plannedValid - 20).isGreaterThanOrEqualTo(HOSTILE);
    assertThat(in.plannedHostile).isGreaterThanOrEqualTo(HOSTILE / 2);
    assertThat(in.refused().size()).isGreaterThanOrEqualTo(HOSTILE * 8 / 10);
    Path events = dir.resolve("events.jsonl");
    try (OutputStream out = Files.newOutputStream(events)) {
      for (HostileInput.Line l : in.events) {
        out.write(l.bytes());
        out.write('\n');
      }
    }
    Path profiles = IngestFixtures.write(dir.resolve("profiles.jsonl"), in.profiles);
    Path deadLetters = dir.resolve("dead-letters.jsonl");
    StoreSettings store = StoreSettings.embedded(dir.resolve("data"));

    String channelName = "hostile-file";
    InProcessObservationChannel channel =
        InProcessObservationChannel.open(channelName, in.events.size());
    List<AccountObservation> observed = new ArrayList<>();
    try {
      new IngestJob(
              IngestSources.files(profiles, events),
              IngestSinks.inProcess(channelName, deadLetters, store),
              settings())
          .execute(StreamExecutionEnvironment.getExecutionEnvironment());
      observed.addAll(IngestFixtures.drain(channel));
    } finally {
      channel.close();
    }

    assertObserved(in, observed);
    assertDeadLetters(
        in, Files.readAllLines(deadLetters, StandardCharsets.UTF_8), "events.jsonl", 0);
    assertStored(in, store);
  }

  @Test
  void aHostileTopicIsDeadLetteredRecordByRecordAndEveryValidEventIsStoredOnce(@TempDir Path dir)
      throws Exception {
    HostileInput in = new HostileInput(34L, VALID, HOSTILE, false);
    int eventTombstones = 0;
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (String p : in.profiles) {
        producer.send(new ProducerRecord<>("h-profiles", null, p.getBytes(StandardCharsets.UTF_8)));
      }
      // a deletion, and a tombstone without a key (dead-lettered)
      producer.send(
          new ProducerRecord<>("h-profiles", "acct|pipe".getBytes(StandardCharsets.UTF_8), null));
      producer.send(new ProducerRecord<>("h-profiles", null, null));
      for (int i = 0; i < in.events.size(); i++) {
        producer.send(new ProducerRecord<>("h-events", null, in.events.get(i).bytes()));
        if (i % 400 == 0) {
          producer.send(new ProducerRecord<>("h-events", null, null));
          eventTombstones++;
        }
      }
      producer.flush();
    }

    StoreSettings store = StoreSettings.embedded(dir.resolve("data"));
    new IngestJob(
            IngestSources.kafka(
                kafka.bootstrapServers(), "h-profiles", "h-events", "hostile", true),
            IngestSinks.kafka(kafka.bootstrapServers(), "h-observations", "h-dead-letters", store),
            settings())
        .execute(StreamExecutionEnvironment.getExecutionEnvironment());

    List<AccountObservation> observed = new ArrayList<>();
    for (ConsumerRecord<String, String> r : consumeAll("h-observations", in.accepted().size())) {
      AccountObservation o = ObservationSerialization.fromJson(r.value());
      assertThat(r.key()).isEqualTo(o.accountId());
      observed.add(o);
    }
    assertObserved(in, observed);
    int expectedDead = in.refused().size() + in.refusedProfiles() + eventTombstones + 1;
    List<String> dead =
        consumeAll("h-dead-letters", expectedDead).stream().map(ConsumerRecord::value).toList();
    assertDeadLetters(in, dead, "h-events", eventTombstones);
    assertThat(dead)
        .allSatisfy(
            d ->
                assertThat(d.getBytes(StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(DeadLetterJson.MAX_BYTES));
    assertStored(in, store);
  }

  private static void assertObserved(HostileInput in, List<AccountObservation> observed) {
    Map<List<String>, Integer> expected = new HashMap<>();
    in.accepted()
        .forEach(l -> expected.merge(List.of(l.accountId(), l.eventId()), 1, Integer::sum));
    Map<List<String>, Integer> actual = new HashMap<>();
    observed.forEach(o -> actual.merge(List.of(o.accountId(), o.eventId()), 1, Integer::sum));
    assertThat(actual).isEqualTo(expected);
    assertThat(actual.keySet()).anySatisfy(k -> assertThat(k.get(0)).isEqualTo("acct|pipe"));
  }

  /**
   * Every refused line has exactly one dead letter with the oracle's reason (matched by the SHA-256
   * of the whole line, which a capped dead letter carries); profile lines and tombstones are
   * counted.
   */
  private static void assertDeadLetters(
      HostileInput in, List<String> deadLetters, String eventsSource, int emptyRecords)
      throws Exception {
    Map<List<String>, Integer> expected = new HashMap<>();
    for (HostileInput.Line l : in.refused()) {
      expected.merge(List.of(DeadLetterJson.sha256(l.text()), l.reason()), 1, Integer::sum);
    }
    if (emptyRecords > 0) {
      expected.merge(
          List.of(DeadLetterJson.sha256(""), "not JSON: empty line"), emptyRecords, Integer::sum);
    }
    Map<List<String>, Integer> actual = new HashMap<>();
    int profileLetters = 0;
    for (String json : deadLetters) {
      JsonNode n = Json.mapper().readTree(json);
      assertThat(n.path("reason").asText()).isNotBlank();
      if (!n.path("source").asText().equals(eventsSource)) {
        profileLetters++;
        continue;
      }
      String sha =
          n.has("line_sha256")
              ? n.path("line_sha256").asText()
              : DeadLetterJson.sha256(n.path("line").asText());
      actual.merge(List.of(sha, n.path("reason").asText()), 1, Integer::sum);
    }
    assertThat(actual).isEqualTo(expected);
    int tombstoneWithoutKey = emptyRecords > 0 ? 1 : 0;
    assertThat(profileLetters).isEqualTo(in.refusedProfiles() + tombstoneWithoutKey);
  }

  private static void assertStored(HostileInput in, StoreSettings store) {
    Map<String, Long> expected = in.storedPerAccount();
    assertThat(expected).containsKey("acct|pipe");
    try (VectorStore s = VectorStores.open(store)) {
      for (Map.Entry<String, Long> e : expected.entrySet()) {
        assertThat(s.count(RecordFilter.account(e.getKey())))
            .as("records of %s", e.getKey())
            .isEqualTo(e.getValue());
      }
      assertThat(s.count(RecordFilter.all()))
          .isEqualTo(expected.values().stream().mapToLong(Long::longValue).sum());
    }
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.putAll(kafka.clientProperties());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  private static KafkaConsumer<String, String> consumer() {
    Properties p = new Properties();
    p.putAll(kafka.clientProperties());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(2 * 1024 * 1024));
    return new KafkaConsumer<>(p);
  }

  /** Reads a topic from the beginning until {@code expected} records arrived or 60 s passed. */
  private static List<ConsumerRecord<String, String>> consumeAll(String topic, int expected) {
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c = consumer()) {
      read(c, topic, expected, Duration.ofSeconds(60), out);
    }
    return out;
  }

  private static void read(
      KafkaConsumer<String, String> c,
      String topic,
      int expected,
      Duration patience,
      List<ConsumerRecord<String, String>> out) {
    List<TopicPartition> partitions =
        c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    c.assign(partitions);
    c.seekToBeginning(partitions);
    long deadline = System.nanoTime() + patience.toNanos();
    while (out.size() < expected && System.nanoTime() < deadline) {
      c.poll(Duration.ofMillis(200)).forEach(out::add);
    }
    c.poll(Duration.ofMillis(300)).forEach(out::add);
  }
}
