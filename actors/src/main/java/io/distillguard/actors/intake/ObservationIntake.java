package io.distillguard.actors.intake;

import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.IntakeSettings;
import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.campaign.CampaignRouter;
import io.distillguard.actors.metrics.ServiceMetrics;
import io.distillguard.actors.taxonomy.TaxonomyGuard;
import io.distillguard.observe.AccountObservation;
import io.distillguard.observe.InProcessObservationChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Where an observation enters the actor side: the taxonomy check, the account entity ({@link
 * AccountRecorder}: asked until the observation is durable; observations are batched per account,
 * one command and one journal write per batch; one that cannot be recorded after bounded retries
 * goes to the {@link Quarantine}), then, back in event-time order ({@link EventTimeOrder}), the
 * campaign grouping. Every source of observations goes through here: the Kafka consumer ({@link
 * io.distillguard.actors.service.ObservationConsumer}), the local pipeline's in-process channel
 * ({@link #drain}) and tests.
 *
 * <p>Thread-safe.
 */
public final class ObservationIntake {

  /**
   * Releases routed to the campaign grouping at once: one, so each campaign entity gets its
   * members' records in the order the grouping produced them.
   */
  private static final int ROUTING_PARALLELISM = 1;

  /** An intake stream idle this long releases every observation it holds for the grouping. */
  private static final Duration IDLE_FLUSH = Duration.ofSeconds(1);

  private final ActorSystem<Void> system;
  private final TaxonomyGuard taxonomy;
  private final CampaignRouter campaigns;
  private final ServiceMetrics metrics;
  private final int drainParallelism;
  private final ActorSettings.IntakeBatching batching;
  private final IntakeSettings.CampaignOrder campaignOrder;
  private final AccountRecorder recorder;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong groupedOutOfOrder = new AtomicLong();

  public ObservationIntake(
      ActorSystem<Void> system,
      StateDatabase db,
      TaxonomyGuard taxonomy,
      CampaignRouter campaigns,
      ServiceMetrics metrics,
      Executor jdbc,
      Duration askTimeout,
      IntakeSettings settings,
      Quarantine quarantine) {
    this.system = system;
    this.taxonomy = taxonomy;
    this.campaigns = campaigns;
    this.metrics = metrics;
    this.drainParallelism = settings.drainParallelism();
    this.batching = settings.batching();
    this.campaignOrder = settings.campaignOrder();
    this.recorder =
        new AccountRecorder(
            ClusterSharding.get(system),
            db,
            jdbc,
            system.executionContext(),
            askTimeout,
            quarantine,
            metrics);
  }

  /**
   * Folds one observation into its account; completes once it is durable. An observation made with
   * a capability taxonomy this node ran with before is translated to its own; one made with any
   * other taxonomy is refused: the stage fails with a {@link
   * io.distillguard.actors.taxonomy.TaxonomyMismatchException} and the node stops being ready (see
   * {@link TaxonomyGuard}).
   */
  public CompletionStage<Done> record(AccountObservation observation) {
    return recordBatch(List.of(observation));
  }

  /**
   * Folds observations of one account into it, in list order, as one command and one journal write
   * (one observation: the single-observation command); completes once all are durable and the
   * campaign grouping has seen them (at once, in the order given: only {@link #flow} puts a stream
   * back into event-time order for the grouping). Taxonomy as in {@link #record}: one refused
   * observation refuses the batch.
   */
  public CompletionStage<Done> recordBatch(List<AccountObservation> batch) {
    return recordBatch(batch, n -> {});
  }

  /**
   * Records one observation taken back from the quarantine, as {@link #record} does (retries, then
   * the quarantine again if it still fails); completes with whether its entity recorded it (false:
   * it is back in the quarantine, with the new reason). Fails as {@link #record} does for a
   * taxonomy this node cannot take.
   */
  public CompletionStage<Boolean> recordAgain(AccountObservation observation) {
    return recordOnly(List.of(observation), n -> {})
        .thenCompose(r -> settle(r).thenApply(n -> !r.observations().isEmpty()));
  }

  /** {@link #recordBatch(List)}, telling {@code handled} how many observations were handled. */
  private CompletionStage<Done> recordBatch(List<AccountObservation> batch, LongConsumer handled) {
    return recordOnly(batch, handled)
        .thenCompose(this::settle)
        .thenApply(
            n -> {
              handled.accept(n);
              return Done.getInstance();
            });
  }

  /**
   * What one account batch came to: the observations its entity recorded (not those quarantined),
   * out of {@code handled} it was given. Counted as pending from the start of its recording until
   * {@link #settle}.
   */
  private record Recorded(List<AccountObservation> observations, int handled) {}

  /**
   * Records one account's observations in its entity (taxonomy as in {@link #record}: one refused
   * observation fails the stage after what came before it is recorded, routed and told to {@code
   * handled}); not yet routed to the campaign grouping, see {@link #settle}.
   */
  private CompletionStage<Recorded> recordOnly(
      List<AccountObservation> batch, LongConsumer handled) {
    if (batch.isEmpty()) {
      return CompletableFuture.completedFuture(new Recorded(List.of(), 0));
    }
    List<AccountObservation> admitted = new ArrayList<>(batch.size());
    for (AccountObservation o : batch) {
      Optional<AccountObservation> a = taxonomy.admit(o);
      if (a.isEmpty()) {
        // What came before the refused observation is recorded, nothing after it.
        RuntimeException refused = taxonomy.mismatch(o);
        return admitted.isEmpty()
            ? CompletableFuture.failedStage(refused)
            : recordOnly(admitted, handled)
                .thenCompose(this::settle)
                .thenCompose(
                    n -> {
                      handled.accept(n);
                      return CompletableFuture.<Recorded>failedStage(refused);
                    });
      }
      admitted.add(a.get());
    }
    int n = admitted.size();
    pending.addAndGet(n);
    return recorder
        .recordOrQuarantine(admitted)
        .whenComplete(
            (recorded, error) -> {
              if (error != null) {
                pending.addAndGet(-n);
                failed.addAndGet(n);
              }
            })
        .thenApply(recorded -> new Recorded(recorded, n));
  }

  /**
   * Hands one recorded account batch to the campaign grouping as one message, then counts it as
   * decided; completes with how many observations it handled. The routing never fails (see {@link
   * CampaignRouter#route(List)}).
   */
  private CompletionStage<Long> settle(Recorded recorded) {
    return route(recorded.observations(), recorded.handled());
  }

  /**
   * Routes {@code recorded} to the campaign grouping as one message, then counts the {@code n}
   * observations they stand for as decided.
   */
  private CompletionStage<Long> route(List<AccountObservation> recorded, long n) {
    return campaigns
        .route(recorded)
        .thenApply(
            d -> {
              pending.addAndGet(-n);
              long now = System.currentTimeMillis();
              for (AccountObservation o : recorded) {
                metrics.decided(o.eventTimeMillis(), now);
              }
              return n;
            });
  }

  /**
   * The intake as a stream stage: records the observations of the records passing through (those
   * for which {@code observation} gives null are only passed on) and emits each record once it is
   * settled, in input order, in lists. Consecutive records are collected per {@link
   * ActorSettings.IntakeBatching} into chunks and each account's share recorded as one command (see
   * {@link #recordBatch}); at most {@code parallelism} batches are in flight, one at a time per
   * account, so each account sees its observations in input order. Once every batch of a chunk is
   * recorded, its recorded observations go to the campaign grouping in event-time order ({@link
   * EventTimeOrder}: held until the latest event time seen passes theirs by the configured {@link
   * IntakeSettings.CampaignOrder#lateness}, or the stream ends or idles for a second), what each
   * chunk releases as one message, one at a time. A chunk's records are emitted only when all of
   * its batches are recorded and routed (and every earlier chunk's), so a Kafka offset emitted here
   * is safe to commit. Fails when an observation could not be recorded.
   */
  public <T> Flow<T, List<T>, NotUsed> flow(
      Function<T, AccountObservation> observation, int parallelism) {
    return flow(observation, parallelism, n -> {});
  }

  /**
   * {@link #flow(Function, int)}, telling {@code handled} how many observations each chunk handed
   * to its entities once it is settled (recorded, duplicates and quarantined ones included).
   */
  public <T> Flow<T, List<T>, NotUsed> flow(
      Function<T, AccountObservation> observation, int parallelism, LongConsumer handled) {
    Duration window = batching.window().isZero() ? Duration.ofMillis(1) : batching.window();
    return Flow.<T>create()
        .groupedWithin(batching.maxBatch(), window)
        .mapConcat(chunk -> AccountBatch.split(chunk, observation::apply))
        .mapAsyncPartitioned(
            parallelism,
            AccountBatch::accountId,
            (b, key) ->
                recordOnly(b.observations(), handled)
                    .thenApply(r -> new RecordedBatch<>(r, b.settles())))
        // Batches leave in input order: a chunk's last batch (the one that settles it) closes it.
        .statefulMapConcat(
            () -> {
              List<Recorded> open = new ArrayList<>();
              return rb -> {
                open.add(rb.recorded());
                if (rb.settles().isEmpty()) {
                  return List.of();
                }
                List<Recorded> chunk = List.copyOf(open);
                open.clear();
                return List.of(new RecordedChunk<>(chunk, rb.settles()));
              };
            })
        // Back into event-time order for the campaign grouping (see EventTimeOrder): held until
        // the event time seen passes them by the lateness, or the stream ends or idles.
        .map(Optional::of)
        .merge(Source.tick(IDLE_FLUSH, IDLE_FLUSH, Optional.<RecordedChunk<T>>empty()), true)
        .statefulMap(
            () -> new EventTimeOrder<T>(campaignOrder.lateness(), campaignOrder.maxHeld()),
            (order, item) -> {
              long lateBefore = order.late();
              EventTimeOrder.Released<T> released =
                  item.isPresent() ? order(order, item.get()) : order.tick();
              countLate(order.late() - lateBefore);
              return Pair.create(order, released);
            },
            order -> Optional.of(order.flush()))
        .filter(released -> !released.isEmpty())
        // One release routed at a time: the campaign entities get the members' records in the
        // order the grouping answered; while they are behind, chunks wait upstream and grow (up to
        // the batch maximum), so a member is recorded once for more of its traffic.
        .mapAsync(
            ROUTING_PARALLELISM,
            r ->
                route(r.observations(), r.handled())
                    .thenApply(
                        n -> {
                          handled.accept(n);
                          return r.settles();
                        }))
        .filter(settled -> !settled.isEmpty());
  }

  /** One account batch recorded, with the records it settles (see {@link AccountBatch}). */
  private record RecordedBatch<T>(Recorded recorded, List<T> settles) {}

  /** A chunk's account batches, all recorded, and its records. */
  private record RecordedChunk<T>(List<Recorded> batches, List<T> settles) {}

  /** Adds a recorded chunk's observations to the event-time ordering. */
  private static <T> EventTimeOrder.Released<T> order(
      EventTimeOrder<T> order, RecordedChunk<T> chunk) {
    List<AccountObservation> recorded = new ArrayList<>();
    long n = 0;
    for (Recorded r : chunk.batches()) {
      recorded.addAll(r.observations());
      n += r.handled();
    }
    return order.add(recorded, n, chunk.settles());
  }

  /**
   * Consumes {@code channel} until it is drained (its producer completed and every observation was
   * taken and acknowledged), through {@link #flow} with the drain parallelism.
   *
   * @throws IllegalStateException if the taxonomy refused an observation or the quarantine could
   *     not be written (an observation that cannot be recorded is quarantined)
   */
  public void drain(InProcessObservationChannel channel) {
    CompletionStage<Done> done =
        Source.fromIterator(() -> new ChannelIterator(channel))
            // The channel poll blocks: keep it off the default dispatcher.
            .withAttributes(
                ActorAttributes.dispatcher("pekko.actor.default-blocking-io-dispatcher"))
            .async()
            .via(flow(o -> o, drainParallelism))
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

  /** Observations that could not be recorded and went to the quarantine. */
  public long quarantined() {
    return recorder.quarantined();
  }

  /** Observations whose recording failed the stage (taxonomy refused, quarantine unwritable). */
  public long failed() {
    return failed.get();
  }

  /**
   * Observations handed to the campaign grouping out of event-time order: they arrived more than
   * the configured lateness behind the newest seen, or after an idle flush.
   */
  public long groupedOutOfOrder() {
    return groupedOutOfOrder.get();
  }

  private void countLate(long n) {
    if (n > 0) {
      groupedOutOfOrder.addAndGet(n);
      metrics.campaignOrderLate(n);
    }
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
