package io.distillguard.launcher.local;

import io.distillguard.actors.account.AccountIndex;
import io.distillguard.actors.escalation.Delivery;
import io.distillguard.actors.escalation.Outbox;
import io.distillguard.observe.InProcessObservationChannel;
import io.distillguard.policy.Level;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Prints one progress line every few seconds while a replay runs. */
final class ProgressReporter implements AutoCloseable {

  private static final long PERIOD_SECONDS = 3;
  private static final int MAX_LISTED = 1_000_000;

  private final PrintWriter out;
  private final InProcessObservationChannel channel;
  private final AccountIndex index;
  private final Outbox outbox;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "replay-progress");
            t.setDaemon(true);
            return t;
          });
  private final long startedNanos = System.nanoTime();
  private long lastCount;
  private long lastNanos = startedNanos;

  private ProgressReporter(
      PrintWriter out, InProcessObservationChannel channel, AccountIndex index, Outbox outbox) {
    this.out = out;
    this.channel = channel;
    this.index = index;
    this.outbox = outbox;
  }

  /** Reports the channel's intake, the accounts by level ({@code index}) and the deliveries. */
  static ProgressReporter start(
      PrintWriter out, InProcessObservationChannel channel, AccountIndex index, Outbox outbox) {
    ProgressReporter reporter = new ProgressReporter(out, channel, index, outbox);
    reporter.timer.scheduleAtFixedRate(
        reporter::report, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    return reporter;
  }

  private void report() {
    try {
      long now = System.nanoTime();
      long count = channel.takenCount();
      double rate = (count - lastCount) / ((now - lastNanos) / 1e9);
      lastCount = count;
      lastNanos = now;
      Map<Level, Integer> levels = new EnumMap<>(Level.class);
      for (Level level : Level.values()) {
        int n = index.list(level, MAX_LISTED).size();
        if (n > 0) {
          levels.put(level, n);
        }
      }
      Map<Delivery.Status, Long> deliveries = outbox.counts();
      out.printf(
          "  %6.1fs  events observed %,8d (%5.0f/s)  accounts %s  webhooks delivered %d,"
              + " pending %d, exhausted %d%n",
          (now - startedNanos) / 1e9,
          count,
          rate,
          levels,
          deliveries.get(Delivery.Status.DELIVERED),
          deliveries.get(Delivery.Status.PENDING),
          deliveries.get(Delivery.Status.EXHAUSTED));
      out.flush();
    } catch (RuntimeException e) {
      // Progress is best effort: a failed read (e.g. while shutting down) skips one line.
    }
  }

  void stop() {
    timer.shutdownNow();
  }

  @Override
  public void close() {
    stop();
  }

  /** For tests and callers that only need the index entries. */
  static int count(AccountIndex index, Level level) {
    return index.list(level, MAX_LISTED).size();
  }
}
