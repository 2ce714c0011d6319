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
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

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
   * another topic (value: JSON), both at-least-once (consumers dedupe by event id).
   */
  static IngestSinks kafka(
      String bootstrapServers,
      String observationsTopic,
      String deadLettersTopic,
      StoreSettings store) {
    return new Kafka(bootstrapServers, observationsTopic, deadLettersTopic, store);
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

  /** See {@link IngestSinks#kafka}. */
  record Kafka(
      String bootstrapServers,
      String observationsTopic,
      String deadLettersTopic,
      StoreSettings store)
      implements IngestSinks {

    public Kafka {
      Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      Objects.requireNonNull(observationsTopic, "observationsTopic");
      Objects.requireNonNull(deadLettersTopic, "deadLettersTopic");
      Objects.requireNonNull(store, "store");
    }

    @Override
    public Sink<AccountObservation> observations() {
      return KafkaSink.<AccountObservation>builder()
          .setBootstrapServers(bootstrapServers)
          .setRecordSerializer(
              KafkaRecordSerializationSchema.<AccountObservation>builder()
                  .setTopic(observationsTopic)
                  .setKeySerializationSchema(new ObservationSerialization.Key())
                  .setValueSerializationSchema(new ObservationSerialization.Value())
                  .build())
          .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
          .build();
    }

    @Override
    public Sink<DeadLetter> deadLetters() {
      return KafkaSink.<DeadLetter>builder()
          .setBootstrapServers(bootstrapServers)
          .setRecordSerializer(
              KafkaRecordSerializationSchema.<DeadLetter>builder()
                  .setTopic(deadLettersTopic)
                  .setValueSerializationSchema(new DeadLetterJson())
                  .build())
          .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
          .build();
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
