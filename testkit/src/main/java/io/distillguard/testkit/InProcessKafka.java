package io.distillguard.testkit;

import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * An in-process Kafka broker for tests and benchmarks: one combined KRaft node, started from the
 * Kafka jars, bound to loopback.
 */
public final class InProcessKafka {

  private InProcessKafka() {}

  /** Formats, starts and waits for a one-node broker; the caller closes it. */
  public static KafkaClusterTestKit start() throws Exception {
    return start(Map.of());
  }

  /**
   * Formats, starts and waits for a one-node broker with extra broker settings (for example {@code
   * group.initial.rebalance.delay.ms}); the caller closes it.
   */
  public static KafkaClusterTestKit start(Map<String, String> brokerSettings) throws Exception {
    KafkaClusterTestKit.Builder builder =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            // One broker: internal topics must not ask for more replicas, or groups hang.
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
            .setConfigProp("share.coordinator.state.topic.min.isr", "1")
            // Retention is checked every second (5 minutes by default), so a test that leaves
            // records to time-based retention sees them deleted at once rather than by chance.
            .setConfigProp("log.retention.check.interval.ms", "1000");
    brokerSettings.forEach(builder::setConfigProp);
    KafkaClusterTestKit kafka = builder.build();
    kafka.format();
    kafka.startup();
    kafka.waitForReadyBrokers();
    return kafka;
  }
}
