package io.distillguard.actors.intake;

import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.audit.AuditLog;
import io.distillguard.observe.AccountObservation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Takes quarantined observations back to their accounts once the cause is fixed ({@code POST
 * /v1/quarantine/retry}): each goes through the intake's retries again and is either recorded (its
 * entry removed) or quarantined anew with the new reason (its old entry removed); an entry whose
 * observation was cut short, or cannot be read, stays. Each outcome is audited with its account.
 * Blocking: call it off the actor threads.
 */
public final class QuarantineRetry {

  /**
   * What a retry did, by sequence number.
   *
   * @param recorded entries whose observation its entity recorded this time (the entry is gone)
   * @param quarantinedAgain entries whose observation failed again: each is gone, and the
   *     observation is kept anew under a new sequence number with the new reason
   * @param skipped entries left as they are, with why ({@code unknown}, {@code truncated}, ...)
   */
  public record Outcome(
      List<Long> recorded, List<Long> quarantinedAgain, Map<Long, String> skipped) {}

  private final Quarantine quarantine;
  private final ObservationIntake intake;
  private final StateDatabase db;
  private final Clock clock;
  private final Duration wait;

  /**
   * @param wait how long one observation's recording may take, its retries included
   */
  public QuarantineRetry(
      Quarantine quarantine,
      ObservationIntake intake,
      StateDatabase db,
      Clock clock,
      Duration wait) {
    this.quarantine = quarantine;
    this.intake = intake;
    this.db = db;
    this.clock = clock;
    this.wait = wait;
  }

  /** Retries the entries {@code seqs}, in the order given, auditing each under {@code actor}. */
  public Outcome retry(List<Long> seqs, String actor) {
    List<Quarantine.Entry> entries = quarantine.get(seqs);
    Map<Long, String> skipped = new LinkedHashMap<>();
    for (long seq : seqs) {
      if (entries.stream().noneMatch(e -> e.seq() == seq)) {
        skipped.put(seq, "unknown");
      }
    }
    List<Long> recorded = new ArrayList<>();
    List<Long> again = new ArrayList<>();
    for (Quarantine.Entry e : entries) {
      Optional<AccountObservation> o = Quarantine.observation(e);
      if (o.isEmpty()) {
        skipped.put(
            e.seq(),
            e.truncated()
                ? "truncated: only part of the observation was kept"
                : "unreadable: not an observation");
        continue;
      }
      boolean ok;
      try {
        ok =
            intake
                .recordAgain(o.get())
                .toCompletableFuture()
                .get(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        skipped.put(e.seq(), "interrupted");
        break;
      } catch (ExecutionException | TimeoutException ex) {
        skipped.put(e.seq(), "refused: " + (ex.getCause() == null ? ex : ex.getCause()));
        continue;
      }
      long now = clock.millis();
      db.transact(
          c -> {
            Quarantine.delete(c, e.seq());
            AuditLog.append(
                c,
                now,
                actor,
                AuditLog.QUARANTINE_RETRY,
                e.accountId(),
                "seq="
                    + e.seq()
                    + " event_id="
                    + e.eventId()
                    + (ok ? " recorded" : " quarantined again"));
            return null;
          });
      (ok ? recorded : again).add(e.seq());
    }
    return new Outcome(List.copyOf(recorded), List.copyOf(again), skipped);
  }
}
