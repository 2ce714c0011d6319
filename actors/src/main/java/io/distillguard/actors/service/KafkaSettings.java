package io.distillguard.actors.service;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the actor service reads observations from, read from {@code distillguard.kafka} (see {@code
 * reference.conf}; every key has an environment override).
 *
 * @param bootstrapServers Kafka bootstrap servers, {@code host:port[,host:port]}
 * @param observationsTopic the topic the ingest job writes observations to (key = account id, value
 *     = the observation as JSON)
 * @param groupId the consumer group; every node of one actor cluster uses the same group, so each
 *     partition is consumed by one node
 * @param parallelism observations in flight per node (one at a time per account)
 * @param autoOffsetReset {@code earliest} or {@code latest}: where a new group starts
 * @param clientProperties Kafka client properties passed to the consumer as they are ({@code
 *     distillguard.kafka.client}: {@code security.protocol}, SASL and TLS settings; each common one
 *     has a {@code DISTILLGUARD_KAFKA_*} environment override, see {@code reference.conf})
 */
public record KafkaSettings(
    String bootstrapServers,
    String observationsTopic,
    String groupId,
    int parallelism,
    String autoOffsetReset,
    Map<String, String> clientProperties) {

  /** Settings without extra client properties (a PLAINTEXT broker). */
  public KafkaSettings(
      String bootstrapServers,
      String observationsTopic,
      String groupId,
      int parallelism,
      String autoOffsetReset) {
    this(bootstrapServers, observationsTopic, groupId, parallelism, autoOffsetReset, Map.of());
  }

  public KafkaSettings {
    clientProperties = Map.copyOf(clientProperties);
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("kafka bootstrap servers must be set");
    }
    if (observationsTopic == null || observationsTopic.isBlank()) {
      throw new IllegalArgumentException("the observations topic must be set");
    }
    if (groupId == null || groupId.isBlank()) {
      throw new IllegalArgumentException("the consumer group must be set");
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("kafka parallelism must be positive");
    }
    if (!autoOffsetReset.equals("earliest") && !autoOffsetReset.equals("latest")) {
      throw new IllegalArgumentException(
          "auto-offset-reset is earliest or latest, not " + autoOffsetReset);
    }
  }

  /** Reads {@code distillguard.kafka} from the application's configuration. */
  public static KafkaSettings load() {
    return fromConfig(ConfigFactory.load().getConfig("distillguard.kafka"));
  }

  /** Reads a {@code distillguard.kafka} block. */
  public static KafkaSettings fromConfig(Config c) {
    return new KafkaSettings(
        c.getString("bootstrap-servers"),
        c.getString("observations-topic"),
        c.getString("group-id"),
        c.getInt("parallelism"),
        c.getString("auto-offset-reset"),
        clientProperties(c));
  }

  /** The {@code client} block as flat Kafka property names ({@code "ssl.truststore.location"}). */
  private static Map<String, String> clientProperties(Config c) {
    Map<String, String> out = new TreeMap<>();
    if (c.hasPath("client")) {
      for (Map.Entry<String, ConfigValue> e : c.getConfig("client").entrySet()) {
        String value = String.valueOf(e.getValue().unwrapped());
        if (!value.isBlank()) {
          out.put(String.join(".", ConfigUtil.splitPath(e.getKey())), value);
        }
      }
    }
    return out;
  }

  /** The same settings against other servers and topic (tests, tools). */
  public KafkaSettings with(String servers, String topic, String group) {
    return new KafkaSettings(servers, topic, group, parallelism, autoOffsetReset, clientProperties);
  }

  /** Client properties with passwords and JAAS configurations redacted (for logs). */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    clientProperties.forEach(
        (k, v) -> shown.put(k, k.contains("password") || k.contains("jaas") ? "<redacted>" : v));
    return "KafkaSettings[bootstrapServers="
        + bootstrapServers
        + ", observationsTopic="
        + observationsTopic
        + ", groupId="
        + groupId
        + ", client="
        + shown
        + ']';
  }
}
