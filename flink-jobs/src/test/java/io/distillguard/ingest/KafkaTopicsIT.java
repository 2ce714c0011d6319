package io.distillguard.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillguard.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job's start-up check of its Kafka topics against an in-process broker: missing topics fail
 * the submission once with their names and how to create them; {@code kafka.create-topics=true}
 * creates them with their partitions and cleanup policies.
 */
class KafkaTopicsIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  @RegisterExtension static final KafkaBrokerExtension kafka = KafkaBrokerExtension.create();

  private static String[] args(String prefix, String... more) {
    List<String> a =
        new java.util.ArrayList<>(
            List.of(
                "source=kafka",
                "sink=kafka",
                "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "kafka.topic.events=" + prefix + "-events",
                "kafka.topic.profiles=" + prefix + "-profiles",
                "kafka.topic.observations=" + prefix + "-observations",
                "kafka.topic.dead-letters=" + prefix + "-dead-letters"));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void missingTopicsFailTheSubmissionOnceNamingThemAndHowToCreateThem() throws Exception {
    assertThatThrownBy(() -> IngestJob.main(args("m")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "Kafka topics m-events, m-profiles, m-observations, m-dead-letters do not exist on "
                + kafka.bootstrapServers())
        .hasMessageContaining(
            "kafka-topics.sh --bootstrap-server "
                + kafka.bootstrapServers()
                + " --create --topic m-profiles --partitions 3 --replication-factor 3"
                + " --config cleanup.policy=compact")
        .hasMessageContaining("--create --topic m-events --partitions 6")
        .hasMessageContaining("kafka.create-topics=true");
    // Nothing was created, and the job never started.
    assertThat(KafkaTopics.existing(kafka.bootstrapServers(), TIMEOUT))
        .doesNotContain("m-events", "m-profiles", "m-observations", "m-dead-letters");
  }

  @Test
  void oneMissingTopicIsNamedAlone() throws Exception {
    KafkaTopics topics =
        IngestConfig.load(args("one", "kafka.create-topics=true")).kafkaTopics().orElseThrow();
    topics.ensure(TIMEOUT);
    try (Admin admin = admin()) {
      admin.deleteTopics(List.of("one-dead-letters")).all().get(30, TimeUnit.SECONDS);
    }
    KafkaTopics strict =
        IngestConfig.load(args("one", "kafka.create-topics=false")).kafkaTopics().orElseThrow();
    // Deletion is asynchronous on the broker; the check must see it gone.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> strict.missing(TIMEOUT).equals(List.of("one-dead-letters")));
    assertThatThrownBy(() -> strict.ensure(TIMEOUT))
        .hasMessageStartingWith(
            "Kafka topic one-dead-letters does not exist on " + kafka.bootstrapServers());
  }

  @Test
  void createTopicsTrueCreatesThemWithPartitionsAndCleanupPolicies() throws Exception {
    KafkaTopics topics =
        IngestConfig.load(
                args("c", "kafka.create-topics=true", "kafka.create-topics.replication-factor=1"))
            .kafkaTopics()
            .orElseThrow();
    topics.ensure(TIMEOUT);
    topics.ensure(TIMEOUT); // a second start finds them and changes nothing
    assertThat(topics.missing(TIMEOUT)).isEmpty();
    try (Admin admin = admin()) {
      Map<String, TopicDescription> d =
          admin
              .describeTopics(List.of("c-events", "c-profiles", "c-observations", "c-dead-letters"))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS);
      assertThat(d.get("c-events").partitions()).hasSize(6);
      assertThat(d.get("c-profiles").partitions()).hasSize(3);
      assertThat(d.get("c-observations").partitions()).hasSize(6);
      assertThat(d.get("c-dead-letters").partitions()).hasSize(1);
      ConfigResource profiles = new ConfigResource(ConfigResource.Type.TOPIC, "c-profiles");
      ConfigResource events = new ConfigResource(ConfigResource.Type.TOPIC, "c-events");
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(List.of(profiles, events)).all().get(30, TimeUnit.SECONDS);
      assertThat(configs.get(profiles).get("cleanup.policy").value()).isEqualTo("compact");
      assertThat(configs.get(events).get("cleanup.policy").value()).isEqualTo("delete");
    }
  }

  @Test
  void filesInAndOutNeedNoTopics() throws Exception {
    assertThat(
            IngestConfig.load(
                    new String[] {
                      "source=files", "files.events=e", "files.profiles=p", "sink=in-process"
                    })
                .kafkaTopics())
        .isEmpty();
  }

  @Test
  void anUnreachableBrokerIsNamed() {
    assertThatThrownBy(() -> KafkaTopics.existing("127.0.0.1:1", Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot reach Kafka at 127.0.0.1:1 within 2 s");
  }

  private static Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return Admin.create(p);
  }
}
