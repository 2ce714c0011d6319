package org.apache.flink.connector.kafka.sink;

import java.util.Properties;
import org.apache.flink.api.connector.sink2.Sink;

/** Reads a built {@link KafkaSink}'s producer configuration (protected in the connector). */
public final class KafkaSinkConfigAccess {

  private KafkaSinkConfigAccess() {}

  public static Properties producerConfig(Sink<?> sink) {
    return ((KafkaSink<?>) sink).getKafkaProducerConfig();
  }
}
