package io.distillguard.actors.intake;

import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.account.AccountEntity;
import io.distillguard.actors.campaign.CampaignRouter;
import io.distillguard.actors.metrics.ServiceMetrics;
import io.distillguard.actors.taxonomy.TaxonomyGuard;
import io.distillguard.observe.AccountObservation;
import io.distillguard.observe.InProcessObservationChannel;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Where an observation enters the actor side: the taxonomy check, the account entity (asked until
 * the observation is durable), then the campaign grouping. Every source of observations goes
 * through here: the Kafka consumer ({@link io.distillguard.actors.service.ObservationConsumer}),
 * the local pipeline's in-process channel ({@link #drain}) and tests.
 *
 * <p>Thread-safe.
 */
public final class ObservationIntake {

  private static final int RECORD_ATTEMPTS = 3;
  private static final long OUTAGE_POLL_MILLIS = 500;

  private final ActorSystem<Void> system;
  private final ClusterSharding sharding;
  private final StateDatabase db;
  private final TaxonomyGuard taxonomy;
  private final CampaignRouter campaigns;
  private final ServiceMetrics metrics;
  private final Executor jdbc;
  private final Duration askTimeout;
  private final int drainParallelism;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  public ObservationIntake(
      ActorSystem<Void> system,
      StateDatabase db,
      TaxonomyGuard taxonomy,
      CampaignRouter campaigns,
      ServiceMetrics metrics,
      Executor jdbc,
      Duration askTimeout,
      int drainParallelism) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.db = db;
    this.taxonomy = taxonomy;
    this.campaigns = campaigns;
    this.metrics = metrics;
    this.jdbc = jdbc;
    this.askTimeout = askTimeout;
    this.drainParallelism = drainParallelism;
  }

  /**
   * Folds one observation into its account; completes once it is durable. An observation made with
   * a capability taxonomy this node ran with before is translated to its own; one made with any
   * other taxonomy is refused: the stage fails with a {@link
   * io.distillguard.actors.taxonomy.TaxonomyMismatchException} and the node stops being ready (see
   * {@link TaxonomyGuard}).
   */
  public CompletionStage<Done> record(AccountObservation observation) {
    Optional<AccountObservation> admitted = taxonomy.admit(observation);
    if (admitted.isEmpty()) {
      return CompletableFuture.failedStage(taxonomy.mismatch(observation));
    }
    pending.incrementAndGet();
    CompletionStage<Done> result =
        recordWithRetry(admitted.get(), 1).thenCompose(d -> campaigns.route(admitted.get()));
    return result.whenComplete(
        (done, error) -> {
          pending.decrementAndGet();
          if (error != null) {
            failed.incrementAndGet();
          } else {
            metrics.decided(observation.eventTimeMillis(), System.currentTimeMillis());
          }
        });
  }

  private CompletionStage<Done> recordWithRetry(AccountObservation o, int attempt) {
    EntityRef<AccountEntity.Command> entity =
        sharding.entityRefFor(AccountEntity.ENTITY_TYPE_KEY, o.accountId());
    CompletionStage<Done> ask =
        entity.askWithStatus(
            replyTo -> new AccountEntity.RecordObservation(o, replyTo), askTimeout);
    // A failure (e.g. an entity recovering slowly) is retried: the entity ignores a repeated event
    // id, so a retry never counts twice. While the database is unreachable nothing can be
    // recorded: the attempt waits for it without counting, so an outage pauses the intake (and
    // the readiness probe says so) instead of failing it.
    return ask.exceptionallyComposeAsync(
        error -> {
          if (!db.reachable()) {
            return CompletableFuture.supplyAsync(
                    () -> Done.getInstance(),
                    CompletableFuture.delayedExecutor(OUTAGE_POLL_MILLIS, TimeUnit.MILLISECONDS))
                .thenComposeAsync(d -> recordWithRetry(o, attempt), jdbc);
          }
          return attempt >= RECORD_ATTEMPTS
              ? CompletableFuture.failedStage(error)
              : recordWithRetry(o, attempt + 1);
        },
        jdbc);
  }

  /**
   * Consumes {@code channel} until it is drained (its producer completed and every observation was
   * taken and acknowledged). Backpressured: at most {@code drainParallelism} observations are in
   * flight, one at a time per account so each account sees its events in channel order.
   *
   * @throws IllegalStateException if an observation could not be recorded
   */
  public void drain(InProcessObservationChannel channel) {
    CompletionStage<Done> done =
        Source.fromIterator(() -> new ChannelIterator(channel))
            // The channel poll blocks: keep it off the default dispatcher.
            .withAttributes(
                ActorAttributes.dispatcher("pekko.actor.default-blocking-io-dispatcher"))
            .async()
            .mapAsyncPartitioned(
                drainParallelism, AccountObservation::accountId, (o, p) -> record(o))
            .runWith(Sink.ignore(), system);
    try {
      done.toCompletableFuture().join();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "draining " + channel.name() + " failed", e.getCause() == null ? e : e.getCause());
    }
  }

  /** Observations handed to {@link #record} and not yet recorded or failed. */
  public long pending() {
    return pending.get();
  }

  /** Observations that could not be recorded (after retries). */
  public long failed() {
    return failed.get();
  }

  /** Blocking iterator over an in-process channel, ending when the channel is drained. */
  private static final class ChannelIterator implements Iterator<AccountObservation> {
    private final InProcessObservationChannel channel;
    private AccountObservation next;

    ChannelIterator(InProcessObservationChannel channel) {
      this.channel = channel;
    }

    @Override
    public boolean hasNext() {
      try {
        while (next == null) {
          Optional<AccountObservation> o = channel.poll(Duration.ofMillis(50));
          if (o.isPresent()) {
            next = o.get();
          } else if (channel.isDrained()) {
            return false;
          }
        }
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    @Override
    public AccountObservation next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      AccountObservation o = next;
      next = null;
      return o;
    }
  }
}
