package io.distillguard.ingest;

import io.distillguard.ingest.parse.RawRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka records as text, for any bytes a producer may send: keys and values are decoded as UTF-8
 * (malformed sequences become U+FFFD, so the parser refuses or keeps them, never the source), and a
 * record without a value (a tombstone) is passed on rather than thrown on. {@code
 * SimpleStringSchema} throws on a null value, which failed the task and restarted it onto the same
 * offset forever.
 */
final class KafkaRawRecords implements KafkaRecordDeserializationSchema<RawRecord> {

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
    out.collect(new RawRecord(text(record.key()), text(record.value())));
  }

  @Override
  public TypeInformation<RawRecord> getProducedType() {
    return TypeInformation.of(RawRecord.class);
  }

  static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Record values only, for the events topic. A tombstone means nothing there: it becomes an empty
   * line, which the parser dead-letters with its reason (counted), instead of failing the source.
   */
  static final class Values implements KafkaRecordDeserializationSchema<String> {

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out) {
      String value = text(record.value());
      out.collect(value == null ? "" : value);
    }

    @Override
    public TypeInformation<String> getProducedType() {
      return Types.STRING;
    }
  }
}
