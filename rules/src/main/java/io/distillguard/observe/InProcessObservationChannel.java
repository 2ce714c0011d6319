package io.distillguard.observe;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The observation channel of the all-in-one local mode: a bounded queue inside one JVM between the
 * ingest job's observation sink (producer) and the actor side (consumer). The bound gives
 * backpressure: a slow actor side slows the job down instead of filling the heap.
 *
 * <p>Channels are looked up by name because a Flink sink is serialized and re-created inside the
 * (mini) cluster: it can carry a name, not a reference. The registry is an adapter detail of the
 * local mode; in a cluster the channel is a Kafka topic and this class is not used.
 */
public final class InProcessObservationChannel {

  private static final ConcurrentMap<String, InProcessObservationChannel> CHANNELS =
      new ConcurrentHashMap<>();

  private final String name;
  private final BlockingQueue<AccountObservation> queue;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong taken = new AtomicLong();
  private volatile boolean completed;

  private InProcessObservationChannel(String name, int capacity) {
    this.name = name;
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  /** Opens (or returns the already open) channel of this name. */
  public static InProcessObservationChannel open(String name, int capacity) {
    return CHANNELS.computeIfAbsent(name, n -> new InProcessObservationChannel(n, capacity));
  }

  /**
   * The open channel of this name.
   *
   * @throws IllegalStateException if no channel of that name is open in this JVM
   */
  public static InProcessObservationChannel named(String name) {
    InProcessObservationChannel channel = CHANNELS.get(name);
    if (channel == null) {
      throw new IllegalStateException(
          "no in-process observation channel named '" + name + "' is open in this JVM");
    }
    return channel;
  }

  /** Removes the channel from the registry; observations still queued are discarded. */
  public void close() {
    CHANNELS.remove(name, this);
    queue.clear();
  }

  public String name() {
    return name;
  }

  /** Blocks while the channel is full (backpressure). */
  public void publish(AccountObservation observation) throws InterruptedException {
    queue.put(observation);
    published.incrementAndGet();
  }

  /** The next observation, waiting up to {@code timeout}; empty when none arrived in time. */
  public Optional<AccountObservation> poll(Duration timeout) throws InterruptedException {
    AccountObservation o = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (o != null) {
      taken.incrementAndGet();
    }
    return Optional.ofNullable(o);
  }

  /** Marks the end of a bounded input: the producer will publish nothing more. */
  public void complete() {
    completed = true;
  }

  /** True once the producer completed and every published observation has been taken. */
  public boolean isDrained() {
    return completed && queue.isEmpty();
  }

  public long publishedCount() {
    return published.get();
  }

  public long takenCount() {
    return taken.get();
  }
}
