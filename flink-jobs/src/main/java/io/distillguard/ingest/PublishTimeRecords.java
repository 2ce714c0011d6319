package io.distillguard.ingest;

import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.lineage.TypeDatasetFacet;
import org.apache.flink.connector.kafka.lineage.TypeDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes Kafka records stamped with the time they are published, not with the element's event time
 * (which the Kafka sink uses by default).
 *
 * <p>Why: Kafka's time-based retention and segment rolling go by the record timestamp. Stamped with
 * event time, the observations of a backfill whose events are older than the topic's retention (7
 * days by default) land in segments that are rolled and deleted on the broker's next retention
 * check, before any consumer has read them. The event time travels in the payload ({@code
 * timestamp} of the observation or dead letter), so nothing is lost by not repeating it in the
 * record.
 */
final class PublishTimeRecords<T>
    implements KafkaRecordSerializationSchema<T>,
        KafkaDatasetFacetProvider,
        TypeDatasetFacetProvider {

  private static final long serialVersionUID = 1L;

  private final KafkaRecordSerializationSchema<T> records;

  PublishTimeRecords(KafkaRecordSerializationSchema<T> records) {
    this.records = Objects.requireNonNull(records, "records");
  }

  @Override
  public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext)
      throws Exception {
    records.open(context, sinkContext);
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      T element, KafkaSinkContext context, Long eventTimestamp) {
    // no timestamp: the producer stamps the record with the current time when it sends it
    return records.serialize(element, context, null);
  }

  @Override
  public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
    return records instanceof KafkaDatasetFacetProvider p
        ? p.getKafkaDatasetFacet()
        : Optional.empty();
  }

  @Override
  public Optional<TypeDatasetFacet> getTypeDatasetFacet() {
    return records instanceof TypeDatasetFacetProvider p
        ? p.getTypeDatasetFacet()
        : Optional.empty();
  }
}
