package org.apache.flink.connector.kafka.source;

import java.util.Map;

/**
 * Reads a built {@link KafkaSource}'s consumer configuration (package-private in the connector).
 */
public final class KafkaSourceConfigAccess {

  private KafkaSourceConfigAccess() {}

  public static Map<String, String> consumerConfig(KafkaSource<?> source) {
    return source.getConfiguration().toMap();
  }
}
