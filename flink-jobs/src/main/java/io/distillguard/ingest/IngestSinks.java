package io.distillguard.ingest;

import io.distillguard.contract.DeadLetter;
import io.distillguard.ingest.deadletter.DeadLetterFileSink;
import io.distillguard.ingest.deadletter.DeadLetterJson;
import io.distillguard.ingest.observe.InProcessObservationSink;
import io.distillguard.ingest.observe.ObservationSerialization;
import io.distillguard.observe.AccountObservation;
import io.distillguard.observe.InProcessObservationChannel;
import io.distillguard.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Where the job's outputs go: the vector store (always), the observation channel and the
 * dead-letter output. Two adapters: {@link #inProcess} (local mode) and {@link #kafka} (cluster).
 */
public interface IngestSinks {

  /** Observation channel port. */
  Sink<AccountObservation> observations();

  /** Dead-letter output. */
  Sink<DeadLetter> deadLetters();

  /** Parallelism of the dead-letter sink; {@code <= 0} means the job's default. */
  int deadLetterParallelism();

  /** The vector store that receives a QueryRecord per event. */
  StoreSettings store();

  /**
   * Called by {@link IngestJob#execute} once the whole job (every subtask) has finished
   * successfully: the in-process channel is completed here, see {@link InProcessObservationSink}.
   */
  void onJobFinished();

  /**
   * Local mode: observations into the in-process channel of that name (it must be open in this JVM
   * before the job starts), dead letters appended to a JSONL file.
   */
  static IngestSinks inProcess(
      String observationChannelName, Path deadLetterFile, StoreSettings store) {
    return new InProcess(observationChannelName, deadLetterFile, store);
  }

  /**
   * Cluster mode: observations to a Kafka topic (key: account id, value: JSON), dead letters to
   * another topic (value: JSON), both at-least-once (consumers dedupe by event id). For runs
   * without checkpointing. Records carry their publish time as Kafka timestamp; the event time is
   * in the payload (see {@link PublishTimeRecords}).
   */
  static IngestSinks kafka(
      String bootstrapServers,
      String observationsTopic,
      String deadLettersTopic,
      StoreSettings store) {
    return new Kafka(
        bootstrapServers,
        observationsTopic,
        deadLettersTopic,
        store,
        DeliveryGuarantee.AT_LEAST_ONCE,
        null,
        Kafka.DEFAULT_TRANSACTION_TIMEOUT);
  }

  /**
   * Cluster mode with checkpointing: like {@link #kafka(String, String, String, StoreSettings)} but
   * exactly-once. Records are written in Kafka transactions committed when a checkpoint completes,
   * so {@code read_committed} consumers see each observation and dead letter once, across failures
   * and savepoint restores; they see it only after the next checkpoint.
   *
   * @param transactionalIdPrefix unique per job on the Kafka cluster (the two sinks append {@code
   *     -observations} and {@code -dead-letters}); keep it across redeploys of the same job, so a
   *     restored job can abort what its predecessor left open
   * @param transactionTimeout must not exceed the broker's {@code transaction.max.timeout.ms} (15
   *     minutes by default) and must exceed the longest checkpoint plus restart time
   */
  static IngestSinks kafkaExactlyOnce(
      String bootstrapServers,
      String observationsTopic,
      String deadLettersTopic,
      StoreSettings store,
      String transactionalIdPrefix,
      Duration transactionTimeout) {
    return new Kafka(
        bootstrapServers,
        observationsTopic,
        deadLettersTopic,
        store,
        DeliveryGuarantee.EXACTLY_ONCE,
        Objects.requireNonNull(transactionalIdPrefix, "transactionalIdPrefix"),
        transactionTimeout);
  }

  /** See {@link IngestSinks#inProcess}. */
  record InProcess(String channelName, Path deadLetterFile, StoreSettings store)
      implements IngestSinks {

    public InProcess {
      Objects.requireNonNull(channelName, "channelName");
      Objects.requireNonNull(deadLetterFile, "deadLetterFile");
      Objects.requireNonNull(store, "store");
    }

    @Override
    public Sink<AccountObservation> observations() {
      return new InProcessObservationSink(channelName);
    }

    @Override
    public Sink<DeadLetter> deadLetters() {
      return new DeadLetterFileSink(deadLetterFile);
    }

    @Override
    public int deadLetterParallelism() {
      return 1;
    }

    @Override
    public void onJobFinished() {
      InProcessObservationChannel.named(channelName).complete();
    }
  }

  /** See {@link IngestSinks#kafka} and {@link IngestSinks#kafkaExactlyOnce}. */
  record Kafka(
      String bootstrapServers,
      String observationsTopic,
      String deadLettersTopic,
      StoreSettings store,
      DeliveryGuarantee guarantee,
      String transactionalIdPrefix,
      Duration transactionTimeout,
      Map<String, String> clientProperties)
      implements IngestSinks {

    /** The broker's default {@code transaction.max.timeout.ms}. */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    public Kafka(
        String bootstrapServers,
        String observationsTopic,
        String deadLettersTopic,
        StoreSettings store,
        DeliveryGuarantee guarantee,
        String transactionalIdPrefix,
        Duration transactionTimeout) {
      this(
          bootstrapServers,
          observationsTopic,
          deadLettersTopic,
          store,
          guarantee,
          transactionalIdPrefix,
          transactionTimeout,
          Map.of());
    }

    /** The same sinks with Kafka client properties (security protocol, SASL, TLS). */
    public Kafka withClientProperties(Map<String, String> properties) {
      return new Kafka(
          bootstrapServers,
          observationsTopic,
          deadLettersTopic,
          store,
          guarantee,
          transactionalIdPrefix,
          transactionTimeout,
          properties);
    }

    public Kafka {
      clientProperties = Map.copyOf(clientProperties);
      Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      Objects.requireNonNull(observationsTopic, "observationsTopic");
      Objects.requireNonNull(deadLettersTopic, "deadLettersTopic");
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(guarantee, "guarantee");
      Objects.requireNonNull(transactionTimeout, "transactionTimeout");
      if (guarantee == DeliveryGuarantee.EXACTLY_ONCE
          && (transactionalIdPrefix == null || transactionalIdPrefix.isBlank())) {
        throw new IllegalArgumentException("exactly-once needs a transactional id prefix");
      }
    }

    @Override
    public Sink<AccountObservation> observations() {
      return configure(
              KafkaSink.<AccountObservation>builder(),
              "-observations",
              KafkaRecordSerializationSchema.<AccountObservation>builder()
                  .setTopic(observationsTopic)
                  .setKeySerializationSchema(new ObservationSerialization.Key())
                  .setValueSerializationSchema(new ObservationSerialization.Value())
                  .build())
          .build();
    }

    @Override
    public Sink<DeadLetter> deadLetters() {
      return configure(
              KafkaSink.<DeadLetter>builder(),
              "-dead-letters",
              KafkaRecordSerializationSchema.<DeadLetter>builder()
                  .setTopic(deadLettersTopic)
                  .setValueSerializationSchema(new DeadLetterJson())
                  .build())
          .build();
    }

    private <T> KafkaSinkBuilder<T> configure(
        KafkaSinkBuilder<T> b, String idSuffix, KafkaRecordSerializationSchema<T> schema) {
      // The operator's client properties first (security), then the job's own, which win.
      clientProperties.forEach(b::setProperty);
      b.setBootstrapServers(bootstrapServers)
          .setRecordSerializer(new PublishTimeRecords<>(schema))
          .setDeliveryGuarantee(guarantee);
      if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
        // Each sink needs its own prefix: two sinks sharing one would fence each other's producers.
        b.setTransactionalIdPrefix(transactionalIdPrefix + idSuffix)
            .setProperty(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                Long.toString(transactionTimeout.toMillis()));
      }
      return b;
    }

    @Override
    public int deadLetterParallelism() {
      return 0;
    }

    @Override
    public void onJobFinished() {
      // Kafka consumers see the end of a bounded run as the end of the topic; nothing to signal.
    }
  }
}
