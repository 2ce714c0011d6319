package io.distillguard.actors.intake;

import io.distillguard.actors.Replies;
import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.account.AccountEntity;
import io.distillguard.actors.metrics.ServiceMetrics;
import io.distillguard.observe.AccountObservation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one account's observations in its {@link AccountEntity}: one command for the batch,
 * retried ({@value #RECORD_ATTEMPTS} attempts; an entity ignores a repeated event id, so a retry
 * never counts twice), then each observation on its own, and one that still fails goes to the
 * {@link Quarantine} with its reason. While the database is unreachable an attempt waits for it
 * without counting. The intake ({@link ObservationIntake}) admits observations before and routes
 * what was recorded after.
 *
 * <p>Thread-safe.
 */
final class AccountRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(AccountRecorder.class);

  static final int RECORD_ATTEMPTS = 3;
  private static final long OUTAGE_POLL_MILLIS = 500;

  private final ClusterSharding sharding;
  private final StateDatabase db;
  private final Executor jdbc;
  private final Executor replies;
  private final Duration askTimeout;
  private final Quarantine quarantine;
  private final ServiceMetrics metrics;
  private final AtomicLong quarantined = new AtomicLong();

  AccountRecorder(
      ClusterSharding sharding,
      StateDatabase db,
      Executor jdbc,
      Executor replies,
      Duration askTimeout,
      Quarantine quarantine,
      ServiceMetrics metrics) {
    this.sharding = sharding;
    this.db = db;
    this.jdbc = jdbc;
    this.replies = replies;
    this.askTimeout = askTimeout;
    this.quarantine = quarantine;
    this.metrics = metrics;
  }

  /** Observations that could not be recorded and went to the quarantine. */
  long quarantined() {
    return quarantined.get();
  }

  /**
   * Records {@code batch} (retried); when it still fails, each observation on its own (retried), in
   * order, and one that fails even so goes to the quarantine with the reason. Completes with the
   * observations recorded; fails only when the quarantine itself cannot be written.
   */
  CompletionStage<List<AccountObservation>> recordOrQuarantine(List<AccountObservation> batch) {
    return recordWithRetry(batch, 1)
        .thenApply(d -> batch)
        .exceptionallyComposeAsync(
            error -> {
              if (batch.size() == 1) {
                return quarantine(batch.get(0), error).thenApply(d -> List.of());
              }
              LOG.warn(
                  "a batch of {} observations of account {} could not be recorded ({}):"
                      + " recording them one at a time",
                  batch.size(),
                  batch.get(0).accountId(),
                  rootCause(error));
              CompletionStage<List<AccountObservation>> each =
                  CompletableFuture.completedFuture(new ArrayList<>());
              for (AccountObservation o : batch) {
                each =
                    each.thenCompose(
                        recorded ->
                            recordOrQuarantine(List.of(o))
                                .thenApply(
                                    r -> {
                                      recorded.addAll(r);
                                      return recorded;
                                    }));
              }
              return each;
            },
            jdbc);
  }

  private CompletionStage<Done> quarantine(AccountObservation o, Throwable error) {
    String reason = "not recorded after " + RECORD_ATTEMPTS + " attempts: " + rootCause(error);
    return CompletableFuture.supplyAsync(
        () -> {
          quarantine.add(o, reason);
          quarantined.incrementAndGet();
          metrics.quarantined();
          // Ids only, never the observation's content.
          LOG.error(
              "observation {} of account {} quarantined: {}", o.eventId(), o.accountId(), reason);
          return Done.getInstance();
        },
        jdbc);
  }

  private static String rootCause(Throwable error) {
    Throwable t = error;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  private CompletionStage<Done> recordWithRetry(List<AccountObservation> batch, int attempt) {
    EntityRef<AccountEntity.Command> entity =
        sharding.entityRefFor(AccountEntity.ENTITY_TYPE_KEY, batch.get(0).accountId());
    CompletionStage<Done> ask =
        Replies.on(
            replies,
            batch.size() == 1
                ? entity.askWithStatus(
                    replyTo -> new AccountEntity.RecordObservation(batch.get(0), replyTo),
                    askTimeout)
                : entity.askWithStatus(
                    replyTo -> new AccountEntity.RecordObservations(batch, replyTo), askTimeout));
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
                .thenComposeAsync(d -> recordWithRetry(batch, attempt), jdbc);
          }
          return attempt >= RECORD_ATTEMPTS
              ? CompletableFuture.failedStage(error)
              : recordWithRetry(batch, attempt + 1);
        },
        jdbc);
  }
}
