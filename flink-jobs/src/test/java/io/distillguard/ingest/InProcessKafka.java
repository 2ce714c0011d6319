package io.distillguard.ingest;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** An in-process Kafka broker for the tests: one combined KRaft node, started from the jars. */
public final class InProcessKafka {

  private InProcessKafka() {}

  /** Formats, starts and waits for a one-node broker; the caller closes it. */
  public static KafkaClusterTestKit start() throws Exception {
    KafkaClusterTestKit kafka =
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
            .setConfigProp("log.retention.check.interval.ms", "1000")
            .build();
    kafka.format();
    kafka.startup();
    kafka.waitForReadyBrokers();
    return kafka;
  }
}
