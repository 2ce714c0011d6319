package io.distillguard.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.kafka.sink.KafkaSinkConfigAccess;
import org.apache.flink.connector.kafka.source.KafkaSourceConfigAccess;
import org.junit.jupiter.api.Test;

/**
 * {@code kafka.client.*} keys of the job's configuration reach the configuration of every Kafka
 * client the job builds (consumers, producers, the admin client), and the job's own settings win
 * over them.
 */
class KafkaClientPropertiesTest {

  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"dg\""
          + " password=\"pw\";";

  private static IngestConfig config(String... extra) throws Exception {
    String[] base = {
      "source=kafka",
      "sink=kafka",
      "checkpoint.interval=30 s",
      "kafka.bootstrap-servers=kafka:9093",
      "kafka.client.security.protocol=SASL_SSL",
      "kafka.client.sasl.mechanism=SCRAM-SHA-512",
      "kafka.client.sasl.jaas.config=" + JAAS,
      "kafka.client.ssl.truststore.location=/etc/kafka/truststore.p12",
      "kafka.client.bootstrap.servers=elsewhere:9092"
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return IngestConfig.load(all);
  }

  @Test
  void theConsumersGetThem() throws Exception {
    IngestSources.Kafka sources = (IngestSources.Kafka) config().sources();
    Map<String, String> consumer =
        KafkaSourceConfigAccess.consumerConfig(
            sources.source("query-events", new KafkaRawRecords.Values()));
    assertThat(consumer)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", JAAS)
        .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
        // The job's own setting wins over a client property.
        .containsEntry("bootstrap.servers", "kafka:9093");
  }

  @Test
  void theProducersGetThem() throws Exception {
    IngestSinks sinks = config().sinks();
    for (Properties producer :
        new Properties[] {
          KafkaSinkConfigAccess.producerConfig(sinks.observations()),
          KafkaSinkConfigAccess.producerConfig(sinks.deadLetters())
        }) {
      assertThat(producer)
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .containsEntry("sasl.jaas.config", JAAS)
          .containsEntry("bootstrap.servers", "kafka:9093");
    }
  }

  @Test
  void theTopicCheckAdminClientGetsThem() throws Exception {
    KafkaTopics topics =
        config("kafka.bootstrap-servers=127.0.0.1:9", "kafka.client.metadata.max.age.ms=soon")
            .kafkaTopics()
            .get();
    assertThat(topics.clientProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("metadata.max.age.ms", "soon");
    // The Kafka admin client itself refuses the value: the properties reached its configuration.
    assertThatThrownBy(() -> topics.ensure(Duration.ofSeconds(2)))
        .hasStackTraceContaining("metadata.max.age.ms");
  }
}
