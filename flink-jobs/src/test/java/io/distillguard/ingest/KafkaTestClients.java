package io.distillguard.ingest;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The Kafka clients the ingest ITs write their input and read their output back with. */
public final class KafkaTestClients {

  private KafkaTestClients() {}

  /**
   * A broker with the ingest job's four topics, as the Kafka ITs name them: {@code events} (2
   * partitions), {@code profiles} ({@code profilePartitions}), {@code observations} (2) and {@code
   * dead-letters} (1).
   */
  public static KafkaBrokerExtension brokerWithIngestTopics(int profilePartitions) {
    return KafkaBrokerExtension.create()
        .withTopic("events", 2)
        .withTopic("profiles", profilePartitions)
        .withTopic("observations", 2)
        .withTopic("dead-letters", 1);
  }

  /** A producer of string keys and values on the broker. */
  public static KafkaProducer<String, String> producer(KafkaBrokerExtension kafka) {
    Properties p = new Properties();
    p.putAll(kafka.clientProperties());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  /**
   * Publishes {@code accounts}' profiles stamped a day before {@link IngestFixtures#START} (so the
   * profiles input's watermark stays behind every event, as with a compacted profiles topic in
   * production), then {@code events}, keyed by account.
   */
  public static void publish(
      KafkaBrokerExtension kafka, List<String> accounts, List<QueryEvent> events) {
    try (KafkaProducer<String, String> producer = producer(kafka)) {
      long signedUp = IngestFixtures.START.minus(Duration.ofDays(1)).toEpochMilli();
      for (AccountProfile p : IngestFixtures.profiles(accounts)) {
        producer.send(
            new ProducerRecord<>(
                "profiles", null, signedUp, p.accountId(), IngestFixtures.CODEC.writeProfile(p)));
      }
      for (QueryEvent e : events) {
        producer.send(
            new ProducerRecord<>("events", e.accountId(), IngestFixtures.CODEC.writeEvent(e)));
      }
    }
  }

  /**
   * The configuration of the unbounded job on the broker's topics as {@link
   * #brokerWithIngestTopics} names them (see {@link #unboundedJobArgs}, the store under {@code
   * dir}), then {@code extra} ({@code key=value}, overriding).
   */
  public static IngestConfig unboundedJob(
      KafkaBrokerExtension kafka, String group, Path dir, String... extra) throws IOException {
    List<String> args = unboundedJobArgs(kafka, group, dir, dir.resolve("store"));
    args.addAll(List.of(extra));
    return IngestConfig.load(args.toArray(String[]::new));
  }

  /**
   * Submits the job {@code config} describes to the test's MiniCluster without waiting for it (an
   * unbounded job runs until the test cancels it through the returned client).
   */
  public static JobClient start(IngestConfig config) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.configure(config.flink());
    new IngestJob(config.sources(), config.sinks(), config.settings()).build(env);
    return env.executeAsync(IngestJob.NAME);
  }

  /**
   * The unbounded job's {@code key=value} arguments on the broker's topics as {@link
   * #brokerWithIngestTopics} names them: consumer group {@code group}, the embedded store in {@code
   * storeDir}, checkpoints under {@code dir}, parallelism 2, one embedding thread. A mutable list,
   * to add to.
   */
  public static List<String> unboundedJobArgs(
      KafkaBrokerExtension kafka, String group, Path dir, Path storeDir) {
    return new ArrayList<>(
        List.of(
            "source=kafka",
            "sink=kafka",
            "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
            "kafka.topic.events=events",
            "kafka.topic.profiles=profiles",
            "kafka.topic.observations=observations",
            "kafka.topic.dead-letters=dead-letters",
            "kafka.group-id=" + group,
            "store.data-dir=" + storeDir,
            "store.flush-interval=200 ms",
            "parallelism=2",
            "checkpoint.dir=" + dir.resolve("checkpoints").toUri(),
            "embed.threads=1",
            "embed.batch-size=16"));
  }

  /**
   * Everything committed on a topic now: reads {@code read_committed} from the beginning up to the
   * last stable offset of every partition (what the actor service's consumer would see), for 20 s
   * at most.
   */
  public static List<ConsumerRecord<String, String>> committed(
      KafkaBrokerExtension kafka, String topic) {
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = fromBeginning(kafka, topic, "read_committed")) {
      Set<TopicPartition> partitions = consumer.assignment();
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline
          && partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /**
   * A consumer of string keys and values assigned every partition of {@code topic}, at its
   * beginning, reading with {@code isolationLevel} ({@code read_committed} or {@code
   * read_uncommitted}); the caller closes it.
   */
  public static KafkaConsumer<String, String> fromBeginning(
      KafkaBrokerExtension kafka, String topic, String isolationLevel) {
    Properties p = new Properties();
    p.putAll(kafka.clientProperties());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      return consumer;
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
  }

  /** The values of {@link #committed}. */
  public static List<String> committedValues(KafkaBrokerExtension kafka, String topic) {
    return committed(kafka, topic).stream().map(ConsumerRecord::value).toList();
  }

  /**
   * Whether a consumer group has committed offsets up to the end of every partition of a topic: the
   * ingest job's source commits its offsets with each checkpoint, so this says the job has accepted
   * everything written so far.
   */
  public static boolean groupCaughtUp(KafkaBrokerExtension kafka, String group, String topic)
      throws Exception {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get()
          .get(topic)
          .partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      for (var end : admin.listOffsets(latest).all().get().entrySet()) {
        OffsetAndMetadata c = committed.get(end.getKey());
        if (c == null || c.offset() < end.getValue().offset()) {
          return false;
        }
      }
      return true;
    }
  }
}
