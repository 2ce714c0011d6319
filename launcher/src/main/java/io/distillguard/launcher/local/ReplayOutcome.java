package io.distillguard.launcher.local;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.escalation.Delivery;
import io.distillguard.observe.InProcessObservationChannel;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import io.distillguard.signals.Signals;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How a replay ended: whether everything was processed and settled, what was counted, and where
 * every account stands. {@link #printSummary} renders the table the CLI shows at the end.
 *
 * @param failure why the replay did not succeed; empty when it did
 * @param elapsed wall-clock duration
 * @param observations observations recorded by the actor side
 * @param deadLetters lines refused in this replay (with reasons, in {@code deadLetterFile})
 * @param deadLetterFile where refused lines are kept
 * @param accounts every account's status at the end
 * @param deliveries webhook deliveries by status
 */
public record ReplayOutcome(
    Optional<String> failure,
    Duration elapsed,
    long observations,
    long deadLetters,
    Path deadLetterFile,
    List<AccountStatus> accounts,
    Map<Delivery.Status, Long> deliveries) {

  private static final int MAX_ROWS = 40;

  static ReplayOutcome failed(String why, Duration elapsed, InProcessObservationChannel channel) {
    return new ReplayOutcome(
        Optional.of(why), elapsed, channel.takenCount(), 0, null, List.of(), Map.of());
  }

  static ReplayOutcome of(
      boolean settled,
      Duration elapsed,
      long observations,
      long deadLetters,
      Path deadLetterFile,
      long failedRecords,
      List<AccountStatus> accounts,
      Map<Delivery.Status, Long> deliveries) {
    long exhausted = deliveries.getOrDefault(Delivery.Status.EXHAUSTED, 0L);
    long pending = deliveries.getOrDefault(Delivery.Status.PENDING, 0L);
    String failure = null;
    if (failedRecords > 0) {
      failure = failedRecords + " observations could not be recorded (see the log)";
    } else if (!settled) {
      failure =
          pending
              + " deliveries were still pending after "
              + LocalPipeline.SETTLE_TIMEOUT.toMinutes()
              + " minutes; they stay in the outbox and resume on the next run with this data dir";
    } else if (exhausted > 0) {
      failure =
          exhausted
              + " deliveries failed every retry and are kept as EXHAUSTED in the outbox"
              + " (GET /v1/deliveries?status=EXHAUSTED); is the receiver up?";
    }
    List<AccountStatus> sorted =
        accounts.stream().sorted(Comparator.comparing(AccountStatus::accountId)).toList();
    return new ReplayOutcome(
        Optional.ofNullable(failure),
        elapsed,
        observations,
        deadLetters,
        deadLetterFile,
        sorted,
        Map.copyOf(deliveries));
  }

  public boolean succeeded() {
    return failure.isEmpty();
  }

  /** Why the replay failed ({@code ""} when it succeeded). */
  public String failureMessage() {
    return failure.orElse("");
  }

  /** The level an account ended at ({@code OK} for an account never observed). */
  public Level levelOf(String accountId) {
    return accounts.stream()
        .filter(a -> a.accountId().equals(accountId))
        .map(AccountStatus::level)
        .findFirst()
        .orElse(Level.OK);
  }

  /** The end-of-replay table: accounts by state, the escalated accounts and the top signals. */
  public void printSummary(PrintWriter out) {
    out.println();
    out.printf(
        "Replay %s in %.1f s: %,d events observed, %,d lines dead-lettered%s%n",
        succeeded() ? "finished" : "FAILED",
        elapsed.toMillis() / 1000.0,
        observations,
        deadLetters,
        deadLetters > 0 ? " (reasons in " + deadLetterFile + ")" : "");
    Map<Level, Long> byLevel = new EnumMap<>(Level.class);
    for (AccountStatus a : accounts) {
      byLevel.merge(a.level(), 1L, Long::sum);
    }
    out.printf("Accounts by state: %s%n", byLevel);
    out.printf(
        "Webhooks: %d delivered, %d pending, %d exhausted%n",
        deliveries.getOrDefault(Delivery.Status.DELIVERED, 0L),
        deliveries.getOrDefault(Delivery.Status.PENDING, 0L),
        deliveries.getOrDefault(Delivery.Status.EXHAUSTED, 0L));
    if (accounts.isEmpty()) {
      out.flush();
      return;
    }
    out.println();
    out.printf(
        "%-26s %-9s %8s  %-8s %-8s %-8s %-8s  %s%n",
        "account", "state", "queries", "entropy", "unexpect", "rate/min", "accel", "reasons");
    List<AccountStatus> rows =
        accounts.stream()
            .sorted(
                Comparator.comparing((AccountStatus a) -> a.level().ordinal())
                    .reversed()
                    .thenComparing(AccountStatus::accountId))
            .limit(MAX_ROWS)
            .toList();
    for (AccountStatus a : rows) {
      out.printf(
          "%-26s %-9s %8d  %-8s %-8s %-8s %-8s  %s%n",
          a.accountId(),
          a.level(),
          a.queriesObserved(),
          fmt(a.signals().get(Signals.COVERAGE_ENTROPY)),
          fmt(a.signals().get(Signals.UNEXPECTED_CATEGORY_SHARE)),
          fmt(a.signals().get(Signals.RATE_PER_MIN)),
          fmt(a.signals().get(Signals.ACCELERATION)),
          a.reasons().stream().map(Reason::rule).distinct().collect(Collectors.joining(", ")));
    }
    if (accounts.size() > MAX_ROWS) {
      out.printf("... and %d more accounts%n", accounts.size() - MAX_ROWS);
    }
    Map<String, Long> topSignals = new TreeMap<>();
    for (AccountStatus a : accounts) {
      for (Reason r : a.reasons()) {
        topSignals.merge(r.rule() + " / " + r.signal(), 1L, Long::sum);
      }
    }
    if (!topSignals.isEmpty()) {
      out.println();
      out.println("Top signals (rule / signal: accounts):");
      topSignals.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .limit(10)
          .forEach(e -> out.printf("  %-60s %d%n", e.getKey(), e.getValue()));
    }
    out.flush();
  }

  private static String fmt(Double v) {
    return v == null ? "-" : String.format("%.2f", v);
  }

  static long countLines(Path file) {
    if (file == null || !Files.exists(file)) {
      return 0;
    }
    try (BufferedReader in = Files.newBufferedReader(file)) {
      return in.lines().count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
