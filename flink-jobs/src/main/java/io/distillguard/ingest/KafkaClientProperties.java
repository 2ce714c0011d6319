package io.distillguard.ingest;

import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;

/**
 * Kafka client properties for every client of the job (the sources' consumers, the sinks'
 * producers, the topic check's admin client), given as {@code kafka.client.<property>} keys, e.g.
 * {@code kafka.client.security.protocol = SASL_SSL}, {@code kafka.client.sasl.mechanism =
 * SCRAM-SHA-512}, {@code kafka.client.sasl.jaas.config = ...}, {@code
 * kafka.client.ssl.truststore.location = /etc/kafka/truststore.p12}. They are passed as they are;
 * the properties the job sets itself (bootstrap servers, group, transactional ids, serializers,
 * isolation) are applied after them and win.
 */
public final class KafkaClientProperties {

  /** The key prefix of a Kafka client property in the job's configuration. */
  public static final String PREFIX = "kafka.client.";

  private KafkaClientProperties() {}

  /** The {@code kafka.client.*} entries of {@code c}, without the prefix. */
  public static Map<String, String> from(Configuration c) {
    Map<String, String> out = new TreeMap<>();
    c.toMap()
        .forEach(
            (k, v) -> {
              if (k.startsWith(PREFIX) && k.length() > PREFIX.length()) {
                out.put(k.substring(PREFIX.length()), v);
              }
            });
    return Map.copyOf(out);
  }
}
