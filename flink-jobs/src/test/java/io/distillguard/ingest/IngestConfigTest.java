package io.distillguard.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestConfigTest {

  @TempDir Path dir;

  @Test
  void readsAPropertiesFileWithOverrides() throws Exception {
    Path file = dir.resolve("job.properties");
    Files.writeString(
        file,
        String.join(
            "\n",
            "source = kafka",
            "sink = kafka",
            "kafka.bootstrap-servers = broker:9092",
            "kafka.topic.events = events-v1",
            "store.data-dir = " + dir.resolve("data"),
            "parallelism = 4",
            "checkpoint.interval = 30 s",
            "checkpoint.dir = file:///var/lib/flink/checkpoints",
            "kafka.transactional-id-prefix = dg-prod",
            "taxonomy.file = /etc/distillguard/capabilities.yaml",
            "embed.batch-size = 64"));
    IngestConfig c = IngestConfig.load(new String[] {"--config", file.toString(), "parallelism=2"});

    assertThat(c.sources()).isInstanceOf(IngestSources.Kafka.class);
    IngestSources.Kafka k = (IngestSources.Kafka) c.sources();
    assertThat(k.bootstrapServers()).isEqualTo("broker:9092");
    assertThat(k.eventsTopic()).isEqualTo("events-v1");
    assertThat(k.profilesTopic()).isEqualTo("account-profiles");
    assertThat(c.sinks()).isInstanceOf(IngestSinks.Kafka.class);
    assertThat(c.settings().parallelism()).isEqualTo(2);
    assertThat(c.settings().checkpointInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.settings().embedderBatchSize()).isEqualTo(64);
    assertThat(c.settings().outOfOrderness()).isEqualTo(Duration.ofSeconds(5));
    // checkpointing on: the Kafka sinks are transactional
    IngestSinks.Kafka sinks = (IngestSinks.Kafka) c.sinks();
    assertThat(sinks.guarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
    assertThat(sinks.transactionalIdPrefix()).isEqualTo("dg-prod");
    assertThat(sinks.transactionTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.settings().taxonomyFile()).isEqualTo("/etc/distillguard/capabilities.yaml");
    assertThat(c.settings().taxonomyCheckInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.flink().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
        .isEqualTo("file:///var/lib/flink/checkpoints");
  }

  @Test
  void withoutCheckpointingTheKafkaSinksAreAtLeastOnce() throws Exception {
    IngestConfig c =
        IngestConfig.load(
            new String[] {"source=kafka", "sink=kafka", "kafka.bootstrap-servers=broker:9092"});
    assertThat(((IngestSinks.Kafka) c.sinks()).guarantee())
        .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    assertThat(c.flink().toMap()).isEmpty();
  }

  @Test
  void checkpointedKafkaSinksMayChooseAtLeastOnceForLatency() throws Exception {
    IngestConfig c = kafkaJob("checkpoint.interval=30 s", "kafka.delivery-guarantee=at-least-once");
    assertThat(c.settings().checkpointInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(((IngestSinks.Kafka) c.sinks()).guarantee())
        .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    assertThat(((IngestSinks.Kafka) c.sinks()).transactionalIdPrefix()).isNull();
  }

  @Test
  void exactlyOnceWithoutCheckpointingOrAnUnknownGuaranteeIsRefused() {
    assertThatThrownBy(() -> kafkaJob("kafka.delivery-guarantee=exactly-once"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs checkpointing");
    assertThatThrownBy(() -> kafkaJob("checkpoint.interval=30 s", "kafka.delivery-guarantee=twice"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly-once or at-least-once: twice");
  }

  @Test
  void aMisspeltKeyIsRefusedWithItsName() {
    assertThatThrownBy(() -> kafkaJob("kafka.delivery-guarantees=at-least-once", "parallelsm=2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown configuration keys kafka.delivery-guarantees, parallelsm");
    assertThat(IngestConfig.unknownKeys(List.of("kafka.client.security.protocol", "sink")))
        .isEmpty();
  }

  @Test
  void theShippedDeploymentsConfigurationsLoad() throws Exception {
    Path deploy = Path.of("..", "deploy");
    IngestConfig compose =
        IngestConfig.load(
            new String[] {"--config", deploy.resolve("compose/ingest.properties").toString()});
    assertThat(((IngestSinks.Kafka) compose.sinks()).guarantee())
        .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
    // The FlinkDeployment's job arguments: the "- key=value" lines of its args block.
    List<String> args = new ArrayList<>();
    boolean inArgs = false;
    for (String line : Files.readAllLines(deploy.resolve("k8s/flink-ingest.yaml"))) {
      String t = line.strip();
      if (t.equals("args:")) {
        inArgs = true;
      } else if (inArgs && t.startsWith("- ") && t.contains("=")) {
        args.add(t.substring(2));
      } else if (inArgs && !t.startsWith("#") && !t.isEmpty()) {
        inArgs = false;
      }
    }
    assertThat(args).contains("kafka.delivery-guarantee=at-least-once");
    IngestConfig k8s = IngestConfig.load(args.toArray(String[]::new));
    assertThat(k8s.settings().checkpointInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(((IngestSinks.Kafka) k8s.sinks()).guarantee())
        .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
  }

  /** The Kafka job's configuration with {@code extra} arguments. */
  private static IngestConfig kafkaJob(String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("source=kafka", "sink=kafka", "kafka.bootstrap-servers=broker:9092"));
    args.addAll(List.of(extra));
    return IngestConfig.load(args.toArray(String[]::new));
  }

  @Test
  void filesSourceNeedsBothFiles() {
    assertThatThrownBy(() -> IngestConfig.load(new String[] {"source=files", "files.events=e"}))
        .hasMessageContaining("missing config key: files.profiles");
    assertThatThrownBy(() -> IngestConfig.load(new String[] {"bogus"}))
        .hasMessageContaining("unexpected argument");
  }
}
