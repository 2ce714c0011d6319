package io.distillguard.actors.escalation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Says when a failure that a retry loop meets again and again is worth a log line: the first time
 * for its key, then at most once per {@code interval} with the number of repeats not logged since,
 * so one stuck account retried every second writes a line every few minutes instead of one a
 * second, and a new key is always logged at once. Remembers at most {@code maxKeys} keys (the least
 * recently failed leave first). Thread-safe.
 */
final class RepeatedFailures {

  /** Whether to log a failure now, and how many repeats of it were not logged since the last. */
  record Verdict(boolean log, long suppressed) {}

  private static final class Seen {
    long loggedAtMillis;
    long suppressed;
  }

  private final long intervalMillis;
  private final LongSupplier clock;
  private final Map<String, Seen> seen;

  RepeatedFailures(long intervalMillis, int maxKeys, LongSupplier clock) {
    this.intervalMillis = intervalMillis;
    this.clock = clock;
    this.seen =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
            return size() > maxKeys;
          }
        };
  }

  /** Records a failure of {@code key}; says whether to log it now. */
  synchronized Verdict failed(String key) {
    long now = clock.getAsLong();
    Seen s = seen.get(key);
    if (s == null) {
      s = new Seen();
      s.loggedAtMillis = now;
      seen.put(key, s);
      return new Verdict(true, 0);
    }
    if (now - s.loggedAtMillis < intervalMillis) {
      s.suppressed++;
      return new Verdict(false, s.suppressed);
    }
    Verdict v = new Verdict(true, s.suppressed);
    s.loggedAtMillis = now;
    s.suppressed = 0;
    return v;
  }

  /** Forgets {@code key} once it succeeded: its next failure is logged at once. */
  synchronized void succeeded(String key) {
    seen.remove(key);
  }
}
