package io.distillguard.bench.latency;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Matches each received webhook to the produced observation that caused it. A webhook carries the
 * account ({@code data.account_id}), the account's event count when the decision was made ({@code
 * data.queries_observed}: the tipping observation is the account's n-th) and that observation's
 * event time ({@code data.observed_at}). The producer records, per account and count, when it
 * handed the observation to Kafka; a webhook matches when both its count and its event time agree
 * with a produced observation. Every account's observations are produced in order with distinct
 * event ids, so an account's n-th observation is the n-th the entity counts.
 *
 * <p>Times are epoch microseconds from one clock ({@link #nowMicros()}), so that the webhook's own
 * {@code timestamp} (when the decision was written to the journal, in epoch milliseconds of the
 * same machine) falls between produce and receipt. Thread-safe.
 */
public final class LatencyLedger {

  /** A webhook matched to its observation. Times in epoch microseconds. */
  public record Match(
      String phase,
      String type,
      String accountId,
      long count,
      long producedMicros,
      long decidedMicros,
      long receivedMicros) {

    /** Produce of the observation to receipt of the webhook, in milliseconds. */
    public double totalMillis() {
      return (receivedMicros - producedMicros) / 1000.0;
    }

    /** Produce to the decision's journal write (the webhook's {@code timestamp}), in ms. */
    public double toDecisionMillis() {
      return (decidedMicros - producedMicros) / 1000.0;
    }

    /** The decision's journal write to receipt, in ms. */
    public double deliveryMillis() {
      return (receivedMicros - decidedMicros) / 1000.0;
    }
  }

  private record Produced(String phase, long eventTimeMillis, long producedMicros) {}

  private final long anchorMicros = System.currentTimeMillis() * 1000L;
  private final long anchorNanos = System.nanoTime();
  private final Map<String, Produced> produced = new ConcurrentHashMap<>();
  private final List<Match> matches = new CopyOnWriteArrayList<>();
  private final List<String> unmatched = new CopyOnWriteArrayList<>();
  private final AtomicLong producedCount = new AtomicLong();

  /** Epoch microseconds, monotonic within this ledger. */
  public long nowMicros() {
    return anchorMicros + (System.nanoTime() - anchorNanos) / 1000L;
  }

  /** Records that the {@code count}-th observation of {@code accountId} was produced now. */
  public void produced(String phase, String accountId, long count, long eventTimeMillis) {
    producedAt(phase, accountId, count, eventTimeMillis, nowMicros());
  }

  /** Like {@link #produced} at a given time. */
  public void producedAt(
      String phase, String accountId, long count, long eventTimeMillis, long atMicros) {
    produced.put(key(accountId, count), new Produced(phase, eventTimeMillis, atMicros));
    producedCount.incrementAndGet();
  }

  /**
   * Matches a webhook received at {@code receivedMicros}; returns the match, or {@code null} (and
   * counts it as unmatched) when no produced observation has that account, count and event time.
   */
  public Match received(
      String type,
      String accountId,
      long queriesObserved,
      long observedAtMillis,
      long decidedAtMillis,
      long receivedMicros) {
    Produced p = accountId == null ? null : produced.get(key(accountId, queriesObserved));
    if (p == null || p.eventTimeMillis() != observedAtMillis) {
      unmatched.add(type + " " + accountId + " #" + queriesObserved);
      return null;
    }
    Match m =
        new Match(
            p.phase(),
            type,
            accountId,
            queriesObserved,
            p.producedMicros(),
            decidedAtMillis * 1000L,
            receivedMicros);
    matches.add(m);
    return m;
  }

  /** Every match so far, in receipt order. */
  public List<Match> matches() {
    return List.copyOf(matches);
  }

  /** The matches of one phase. */
  public List<Match> matches(String phase) {
    List<Match> out = new ArrayList<>();
    for (Match m : matches) {
      if (m.phase().equals(phase)) {
        out.add(m);
      }
    }
    return out;
  }

  /** Webhooks no produced observation explains (type, account, count). */
  public List<String> unmatched() {
    return List.copyOf(unmatched);
  }

  /** Observations recorded as produced. */
  public long producedCount() {
    return producedCount.get();
  }

  private static String key(String accountId, long count) {
    return accountId + '\u0000' + count;
  }
}
