package io.distillguard.ingest.parse;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The event times the job believes: not before {@code notBefore}, and at most {@code maxFuture}
 * ahead of the wall clock of the machine that parses the event. An event outside is dead-lettered
 * with the reason: one event stamped in the year 9999 would otherwise drive the watermark to the
 * end of time and make every later event late, and one stamped 1970 would count in windows no one
 * looks at.
 */
public record EventTimeRange(Instant notBefore, Duration maxFuture) implements Serializable {

  /** Not before 2000-01-01, at most one day ahead of the clock. */
  public static final EventTimeRange DEFAULT =
      new EventTimeRange(Instant.parse("2000-01-01T00:00:00Z"), Duration.ofDays(1));

  public EventTimeRange {
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(maxFuture, "maxFuture");
    if (maxFuture.isNegative()) {
      throw new IllegalArgumentException("maxFuture must not be negative: " + maxFuture);
    }
  }

  /** Why {@code t} is implausible at wall-clock time {@code nowMillis}; null when it is not. */
  public String problem(Instant t, long nowMillis) {
    if (t.isBefore(notBefore)) {
      return "implausible timestamp: " + t + " is before " + notBefore + " (event-time.not-before)";
    }
    Instant latest = Instant.ofEpochMilli(nowMillis).plus(maxFuture);
    if (t.isAfter(latest)) {
      return "implausible timestamp: "
          + t
          + " is more than "
          + maxFuture
          + " ahead of the clock (event-time.max-future)";
    }
    return null;
  }
}
