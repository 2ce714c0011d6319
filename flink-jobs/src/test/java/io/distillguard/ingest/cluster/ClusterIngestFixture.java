package io.distillguard.ingest.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.ingest.IngestFixtures;
import io.distillguard.ingest.KafkaTestClients;
import io.distillguard.testkit.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The ingest job on a {@link StandaloneFlinkCluster} as the cluster ITs run it: a fresh cluster
 * under {@code target/}, the shaded job jar, a job configuration reading and writing the in-process
 * Kafka broker's ingest topics, {@code flink run} and the input spread over both partitions.
 */
final class ClusterIngestFixture {

  static final Duration CLI_TIMEOUT = Duration.ofSeconds(90);

  private ClusterIngestFixture() {}

  /**
   * Starts a two-slot cluster on {@code target/flink-lib} with its config and logs under {@code
   * target/<home>}, emptied first: a failed run leaves the cluster's logs to read.
   */
  static StandaloneFlinkCluster startCluster(
      String home, Duration timeout, Map<String, String> extraConfig) throws Exception {
    Path dir = Path.of("target", home);
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    return StandaloneFlinkCluster.start(
        Path.of(System.getProperty("flink.lib.dir", "target/flink-lib")),
        dir,
        2,
        timeout,
        extraConfig);
  }

  /** The shaded job jar that {@code mvn package} built. */
  static Path jobJar() {
    Path jobJar = Path.of(System.getProperty("flink.job.jar", "missing"));
    assertThat(jobJar).as("the shaded job jar (built by `mvn package`)").isRegularFile();
    return jobJar;
  }

  /**
   * Writes {@code ingest.properties} in {@code dir}: Kafka in and out on the broker's ingest topics
   * (group and transactional-id prefix {@code name}), the embedded vector store in {@code
   * storeDir}, parallelism 2, a checkpoint every second, one embedding thread; then {@code extra}
   * lines.
   */
  static Path writeJobConfig(
      Path dir, KafkaBrokerExtension kafka, String name, Path storeDir, String... extra)
      throws Exception {
    List<String> lines = KafkaTestClients.unboundedJobArgs(kafka, name, dir, storeDir);
    lines.add("kafka.transactional-id-prefix=" + name);
    lines.add("checkpoint.interval=1 s");
    lines.addAll(List.of(extra));
    lines.add("");
    Path config = dir.resolve("ingest.properties");
    Files.writeString(config, String.join("\n", lines));
    return config;
  }

  /**
   * Submits the job detached with {@code flink run}, from {@code savepoint} unless it is null;
   * returns its job id.
   */
  static String submit(StandaloneFlinkCluster flink, Path jobJar, Path config, String savepoint)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "-d"));
    if (savepoint != null) {
      args.addAll(List.of("-s", savepoint));
    }
    args.addAll(List.of(jobJar.toString(), "--config", config.toString()));
    String out = flink.cli(CLI_TIMEOUT, args.toArray(String[]::new));
    return StandaloneFlinkCluster.extract(out, "JobID ([0-9a-f]{32})");
  }

  /**
   * Sends events keyed by account, without flushing: even accounts ({@code acct-00}, {@code
   * acct-02}, ...) on partition 0, odd ones on partition 1, so every partition has data.
   */
  static void sendEvents(KafkaProducer<String, String> producer, List<QueryEvent> events) {
    for (QueryEvent e : events) {
      int partition = Integer.parseInt(e.accountId().substring(5)) % 2;
      producer.send(
          new ProducerRecord<>(
              "events", partition, e.accountId(), IngestFixtures.CODEC.writeEvent(e)));
    }
  }

  /**
   * Sends profiles alternately to partitions 0 and 1 and flushes: a partition without records would
   * hold back the profiles' watermark until it counts as idle.
   */
  static void sendProfiles(KafkaProducer<String, String> producer, List<AccountProfile> profiles) {
    for (int i = 0; i < profiles.size(); i++) {
      AccountProfile p = profiles.get(i);
      producer.send(
          new ProducerRecord<>(
              "profiles", i % 2, p.accountId(), IngestFixtures.CODEC.writeProfile(p)));
    }
    producer.flush();
  }
}
