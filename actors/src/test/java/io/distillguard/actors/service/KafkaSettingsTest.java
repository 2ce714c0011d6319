package io.distillguard.actors.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.Test;

/**
 * The actor service's Kafka client properties ({@code distillguard.kafka.client}, with the {@code
 * DISTILLGUARD_KAFKA_*} overrides of {@code reference.conf}) reach the consumer's configuration,
 * and cannot weaken what correctness depends on.
 */
class KafkaSettingsTest {

  @Test
  void securitySettingsReachTheConsumerAndTheServicesOwnWin() {
    KafkaSettings kafka =
        KafkaSettings.fromConfig(
            ConfigFactory.parseString(
                    "client {\n"
                        + "  \"security.protocol\" = SASL_SSL\n"
                        + "  \"sasl.mechanism\" = SCRAM-SHA-512\n"
                        + "  \"sasl.jaas.config\" = \"ScramLoginModule required password=pw;\"\n"
                        + "  \"ssl.truststore.location\" = /etc/kafka/truststore.p12\n"
                        + "  \"isolation.level\" = read_uncommitted\n"
                        + "}")
                .withFallback(ConfigFactory.load().getConfig("distillguard.kafka")));
    assertThat(kafka.clientProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12");
    assertThat(kafka.toString()).doesNotContain("password=pw").contains("SASL_SSL");

    ActorSystem system = ActorSystem.create("kafka-settings-test");
    try {
      Map<String, Object> consumer =
          ObservationConsumer.consumerSettings(system, kafka).getProperties();
      assertThat(consumer)
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .containsEntry("sasl.jaas.config", "ScramLoginModule required password=pw;")
          .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
          // Committed reads only, whatever the client block says.
          .containsEntry("isolation.level", "read_committed")
          .containsEntry("enable.auto.commit", "false");
    } finally {
      TestKit.shutdownActorSystem(system);
    }
  }

  @Test
  void withoutSecuritySettingsTheConsumerIsPlain() {
    KafkaSettings kafka =
        KafkaSettings.fromConfig(ConfigFactory.load().getConfig("distillguard.kafka"));
    assertThat(kafka.clientProperties()).doesNotContainKey("security.protocol");
  }
}
