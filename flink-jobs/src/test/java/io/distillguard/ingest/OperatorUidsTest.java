package io.distillguard.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.store.StoreSettings;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Savepoint compatibility across releases: every operator of the cluster job (Kafka in, Kafka out,
 * exactly-once) carries an explicit uid, so state in a savepoint maps to the same operator in the
 * next release however the graph around it changes.
 */
class OperatorUidsTest {

  @TempDir Path dir;

  @Test
  void everyOperatorOfTheClusterJobHasAStableUid() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    new IngestJob(
            IngestSources.kafka("127.0.0.1:9092", "profiles", "events", "group", false),
            IngestSinks.kafkaExactlyOnce(
                "127.0.0.1:9092",
                "observations",
                "dead-letters",
                StoreSettings.embedded(dir),
                "uids-test",
                IngestSinks.Kafka.DEFAULT_TRANSACTION_TIMEOUT),
            IngestSettings.defaults().withCheckpointInterval(java.time.Duration.ofSeconds(10)))
        .build(env);
    StreamGraph graph = env.getStreamGraph();

    List<String> withoutUid =
        graph.getStreamNodes().stream()
            .filter(n -> n.getTransformationUID() == null)
            .map(StreamNode::getOperatorName)
            .toList();
    assertThat(withoutUid).isEmpty();
    assertThat(graph.getStreamNodes().stream().map(StreamNode::getTransformationUID))
        .doesNotHaveDuplicates()
        .contains(
            Descriptors.Uids.EVENTS_SOURCE,
            Descriptors.Uids.PROFILES_SOURCE,
            Descriptors.Uids.JOIN_PROFILE,
            Descriptors.Uids.EMBED_PROMPTS,
            Descriptors.Uids.ENRICH);
  }
}
