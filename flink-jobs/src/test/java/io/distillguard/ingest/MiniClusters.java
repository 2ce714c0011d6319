package io.distillguard.ingest;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The Flink MiniCluster the ingest ITs run the job on. */
public final class MiniClusters {

  private MiniClusters() {}

  /**
   * One TaskManager with {@code slots} task slots, enough for the whole job at parallelism {@code
   * slots}; register it with {@code @RegisterExtension} on a static field.
   */
  public static MiniClusterExtension oneTaskManager(int slots) {
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(slots)
            .build());
  }
}
