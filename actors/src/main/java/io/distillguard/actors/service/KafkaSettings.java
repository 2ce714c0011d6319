package io.distillguard.actors.service;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

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
 */
public record KafkaSettings(
    String bootstrapServers,
    String observationsTopic,
    String groupId,
    int parallelism,
    String autoOffsetReset) {

  public KafkaSettings {
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
        c.getString("auto-offset-reset"));
  }

  /** The same settings against other servers and topic (tests, tools). */
  public KafkaSettings with(String servers, String topic, String group) {
    return new KafkaSettings(servers, topic, group, parallelism, autoOffsetReset);
  }
}
