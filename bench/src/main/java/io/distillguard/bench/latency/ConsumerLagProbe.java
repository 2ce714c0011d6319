package io.distillguard.bench.latency;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples a consumer group from outside, as an operator's lag monitor does: every interval, the
 * topic's end offsets and the group's committed offsets, summed over partitions. The actor
 * service's committer commits every 1,000 records or 10 s, whichever comes first, so
 * committed-offset lag overstates the records really waiting by up to that much.
 */
final class ConsumerLagProbe implements AutoCloseable {

  /** One sample: when (epoch ms), records published, records committed by the group. */
  record Sample(long atMillis, long end, long committed) {
    long lag() {
      return Math.max(0, end - committed);
    }
  }

  private final Admin admin;
  private final String topic;
  private final String group;
  private final List<Sample> samples = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  ConsumerLagProbe(Admin admin, String topic, String group, long intervalMillis) {
    this.admin = admin;
    this.topic = topic;
    this.group = group;
    timer.scheduleAtFixedRate(this::sample, 0, intervalMillis, TimeUnit.MILLISECONDS);
  }

  private void sample() {
    try {
      Sample s = now();
      synchronized (samples) {
        samples.add(s);
      }
    } catch (Exception e) {
      // the group has no offsets yet; the next sample tries again
    }
  }

  /** Reads end and committed offsets now. */
  Sample now() throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    List<TopicPartition> partitions =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    long end =
        admin
            .listOffsets(
                partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
            .all()
            .get()
            .values()
            .stream()
            .mapToLong(i -> i.offset())
            .sum();
    long done =
        committed.values().stream().filter(Objects::nonNull).mapToLong(o -> o.offset()).sum();
    return new Sample(System.currentTimeMillis(), end, done);
  }

  /** The topic's partition count. */
  int partitions() throws ExecutionException, InterruptedException {
    return admin
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get()
        .get(topic)
        .partitions()
        .size();
  }

  /** The samples taken between two times (epoch ms), inclusive. */
  List<Sample> between(long fromMillis, long toMillis) {
    synchronized (samples) {
      return samples.stream()
          .filter(s -> s.atMillis() >= fromMillis && s.atMillis() <= toMillis)
          .toList();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
