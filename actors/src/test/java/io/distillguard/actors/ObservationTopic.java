package io.distillguard.actors;

import io.distillguard.contract.Json;
import io.distillguard.observe.AccountObservation;
import io.distillguard.testkit.KafkaBrokerExtension;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The observation topic on an in-process broker, as the actor service's Kafka ITs use it: the
 * broker with the topic, observations written as the ingest job's Kafka sink writes them, and a
 * consumer group's committed offsets against the topic's end.
 */
public final class ObservationTopic {

  /** The topic's name. */
  public static final String NAME = "account-observations";

  /** Its partitions. */
  public static final int PARTITIONS = 2;

  private ObservationTopic() {}

  /** A broker with the topic, for a test class's {@code @RegisterExtension} field. */
  public static KafkaBrokerExtension broker() {
    return KafkaBrokerExtension.create().withTopic(NAME, PARTITIONS);
  }

  /**
   * Writes observations exactly as the ingest job's Kafka sink does (key = account id, value =
   * {@code Json.mapper()} JSON), then each of {@code raw} as it is under the key {@code acct-bad}
   * (null: a tombstone).
   */
  public static void publish(
      KafkaBrokerExtension kafka, List<AccountObservation> observations, String... raw)
      throws Exception {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (AccountObservation o : observations) {
        send(producer, NAME, o);
      }
      for (String r : raw) {
        producer.send(new ProducerRecord<>(NAME, "acct-bad", r));
      }
      producer.flush();
    }
  }

  /** A producer that writes in transactions, as the ingest job's exactly-once sink does. */
  public static KafkaProducer<String, String> transactional(
      KafkaBrokerExtension kafka, String transactionalId) {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            transactionalId);
    KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    producer.initTransactions();
    return producer;
  }

  /** Writes {@code o} to {@code topic} as the ingest job's Kafka sink does. */
  public static void send(
      KafkaProducer<String, String> producer, String topic, AccountObservation o) throws Exception {
    producer.send(new ProducerRecord<>(topic, o.accountId(), Json.mapper().writeValueAsString(o)));
  }

  /** The offsets {@code group} committed, per partition (of any topic). */
  public static Map<TopicPartition, Long> committed(KafkaBrokerExtension kafka, String group)
      throws Exception {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      return admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get()
          .entrySet()
          .stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
  }

  /** The topic's end offsets, per partition. */
  public static Map<TopicPartition, Long> endOffsets(KafkaBrokerExtension kafka) throws Exception {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      Map<TopicPartition, OffsetSpec> latest =
          IntStream.range(0, PARTITIONS)
              .boxed()
              .collect(
                  Collectors.toMap(p -> new TopicPartition(NAME, p), p -> OffsetSpec.latest()));
      return admin.listOffsets(latest).all().get().entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
  }

  /** True when {@code group} committed every record of the topic. */
  public static boolean committedAll(KafkaBrokerExtension kafka, String group) throws Exception {
    return committed(kafka, group).equals(endOffsets(kafka));
  }
}
