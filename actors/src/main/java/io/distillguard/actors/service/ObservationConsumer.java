package io.distillguard.actors.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.distillguard.actors.ActorService;
import io.distillguard.contract.Json;
import io.distillguard.observe.AccountObservation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.pekko.Done;
import org.apache.pekko.kafka.CommitterSettings;
import org.apache.pekko.kafka.ConsumerMessage;
import org.apache.pekko.kafka.ConsumerSettings;
import org.apache.pekko.kafka.Subscriptions;
import org.apache.pekko.kafka.javadsl.Committer;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observation channel's Kafka adapter on the actor side: consumes the observation topic into
 * the sharded account entities and commits a record's offset only after its entity acknowledged it
 * (the observation is journalled, and any escalation is in the outbox). At-least-once: after a
 * crash or a rebalance the uncommitted tail is read again, and each entity drops the event ids it
 * already counted. It reads {@code read_committed}: records of a transaction the job aborted, or
 * has not committed yet, are never consumed.
 *
 * <p>Offsets are committed in topic order: consecutive records are recorded in batches, one command
 * and one journal write per account ({@link io.distillguard.actors.intake.ObservationIntake#flow};
 * up to {@code parallelism} batches in flight, one at a time per account, so an account keeps its
 * partition order), and a record's offset is emitted for commit only when its whole batch chunk and
 * everything before it is recorded. A record that is not an observation is logged by offset and
 * skipped (it can never become one); an observation that cannot be recorded after the intake's
 * bounded retries goes to the quarantine with its reason and its offset is committed: the stream
 * goes on ({@link io.distillguard.actors.intake.Quarantine}). The stream fails, and {@link
 * #whenStopped()} completes exceptionally so that the process can exit and be restarted from the
 * last committed offset, only when the quarantine itself cannot be written, or for an observation
 * made with a capability taxonomy this node never ran with ({@link
 * io.distillguard.actors.taxonomy.TaxonomyMismatchException}): it is refused, its offset is not
 * committed, and the node reports not ready.
 */
public final class ObservationConsumer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ObservationConsumer.class);

  private final Consumer.DrainingControl<Done> control;
  private final AtomicLong recorded;
  private final AtomicLong skipped;
  private final ActorService service;
  private volatile double lagMax = Double.NaN;

  private ObservationConsumer(
      Consumer.DrainingControl<Done> control,
      AtomicLong recorded,
      AtomicLong skipped,
      ActorService service) {
    this.control = control;
    this.recorded = recorded;
    this.skipped = skipped;
    this.service = service;
  }

  /**
   * The consumer's settings: the service's bootstrap servers and group, committed reads only, and
   * every client property of {@code kafka} (security protocol, SASL, TLS) as it is.
   */
  static ConsumerSettings<String, byte[]> consumerSettings(
      org.apache.pekko.actor.ActorSystem system, KafkaSettings kafka) {
    ConsumerSettings<String, byte[]> settings =
        ConsumerSettings.create(system, new StringDeserializer(), new ByteArrayDeserializer());
    // First the operator's client properties, then the ones correctness depends on (they win).
    for (Map.Entry<String, String> p : kafka.clientProperties().entrySet()) {
      settings = settings.withProperty(p.getKey(), p.getValue());
    }
    return settings
        .withBootstrapServers(kafka.bootstrapServers())
        .withGroupId(kafka.groupId())
        .withProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, kafka.autoOffsetReset())
        .withProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
        // The ingest job writes observations in Kafka transactions committed with its
        // checkpoints: read only committed ones. The default (read_uncommitted) would also
        // deliver records of transactions the job later aborts (after a failover), which it
        // then writes again in a new transaction.
        .withProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        // The DrainingControl already waits for the stream (and its commits) to finish;
        // the default 30 s delay before the consumer actor stops would only slow a stop.
        .withStopTimeout(Duration.ZERO);
  }

  /**
   * Starts consuming {@code kafka.observationsTopic()} into {@code service} and registers the
   * readiness check {@code kafka-consumer} with it.
   */
  public static ObservationConsumer start(ActorService service, KafkaSettings kafka) {
    ConsumerSettings<String, byte[]> consumerSettings =
        consumerSettings(service.system().classicSystem(), kafka);
    CommitterSettings committerSettings = CommitterSettings.create(service.system());
    AtomicLong recorded = new AtomicLong();
    AtomicLong skipped = new AtomicLong();

    Consumer.DrainingControl<Done> control =
        Consumer.committableSource(
                consumerSettings, Subscriptions.topics(kafka.observationsTopic()))
            .map(ObservationConsumer::decode)
            .via(
                service
                    .intake()
                    .flow(Decoded::observation, kafka.parallelism(), recorded::addAndGet))
            .mapConcat(settled -> offsets(settled, skipped))
            .toMat(Committer.sink(committerSettings), Consumer::createDrainingControl)
            .run(service.system());

    ObservationConsumer consumer = new ObservationConsumer(control, recorded, skipped, service);
    control
        .streamCompletion()
        .whenComplete(
            (done, error) -> {
              if (error != null) {
                LOG.error("observation consumer failed on {}", kafka.observationsTopic(), error);
              } else {
                LOG.info("observation consumer on {} stopped", kafka.observationsTopic());
              }
            });
    service.probes().add("kafka-consumer", consumer::running);
    service.metrics().consumerLag(consumer::recordsLagMax);
    LOG.info(
        "consuming {} from {} as group {}",
        kafka.observationsTopic(),
        kafka.bootstrapServers(),
        kafka.groupId());
    return consumer;
  }

  /**
   * The consumer's {@code records-lag-max} (the largest partition lag, in records) as of the
   * previous call; each call asks the consumer for a fresh value without waiting for it. NaN before
   * the first answer.
   */
  double recordsLagMax() {
    control
        .getMetrics()
        .thenAccept(
            metrics ->
                metrics.forEach(
                    (name, metric) -> {
                      if ("records-lag-max".equals(name.name())
                          && "consumer-fetch-manager-metrics".equals(name.group())
                          && !name.tags().containsKey("topic")
                          && metric.metricValue() instanceof Number n) {
                        lagMax = n.doubleValue();
                      }
                    }));
    return lagMax;
  }

  /** A consumed record, decoded (observation null when the value is not an observation). */
  private record Decoded(
      ConsumerMessage.CommittableMessage<String, byte[]> message, AccountObservation observation) {}

  private static Decoded decode(ConsumerMessage.CommittableMessage<String, byte[]> m) {
    if (m.record().value() == null) {
      LOG.warn(
          "skipping a record without a value: {}-{}@{}",
          m.record().topic(),
          m.record().partition(),
          m.record().offset());
      return new Decoded(m, null);
    }
    try {
      AccountObservation o = Json.mapper().readValue(m.record().value(), AccountObservation.class);
      if (o.eventId() == null || o.accountId() == null || o.category() == null) {
        throw new IllegalArgumentException("event_id, account_id and category are required");
      }
      return new Decoded(m, o);
    } catch (java.io.IOException | IllegalArgumentException e) {
      String why =
          e instanceof JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(e);
      LOG.warn(
          "skipping a record that is not an observation: {}-{}@{}: {}",
          m.record().topic(),
          m.record().partition(),
          m.record().offset(),
          why);
      return new Decoded(m, null);
    }
  }

  /** The offsets of records the intake settled; those that were no observation are counted. */
  private static List<ConsumerMessage.CommittableOffset> offsets(
      List<Decoded> settled, AtomicLong skipped) {
    List<ConsumerMessage.CommittableOffset> offsets = new ArrayList<>(settled.size());
    for (Decoded d : settled) {
      if (d.observation() == null) {
        skipped.incrementAndGet();
      }
      offsets.add(d.message().committableOffset());
    }
    return offsets;
  }

  /** True while the stream runs (it has not failed, been stopped or completed). */
  public boolean running() {
    return !control.streamCompletion().toCompletableFuture().isDone();
  }

  /**
   * Observations handed to the entities and acknowledged by them (duplicates included), or
   * quarantined after the retries.
   */
  public long recorded() {
    return recorded.get();
  }

  /** Records skipped because they were not observations. */
  public long skipped() {
    return skipped.get();
  }

  /** Completes when the stream ends: normally after {@link #close()}, exceptionally on failure. */
  public CompletionStage<Done> whenStopped() {
    return control.streamCompletion();
  }

  /**
   * Stops taking records, lets the ones in flight finish, commits their offsets and stops; waits up
   * to {@code timeout}.
   */
  public void stop(Duration timeout) {
    try {
      control
          .drainAndShutdown(service.system().executionContext())
          .toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("observation consumer did not stop cleanly", e);
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }
}
