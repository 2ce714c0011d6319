package io.distillguard.signals;

/**
 * How an account's windows treat event time that is out of order.
 *
 * @param allowedLatenessMillis an event at most this far behind the account's newest event is
 *     counted into the buckets of its own time; one further behind is counted in the lifetime
 *     totals and the sequential score only, and in {@link Signals#LATE_EVENTS}
 * @param maxJumpMillis an event more than this far ahead of the account's newest event moves the
 *     windows, but if the next event is back on the old timeline the jump is undone and counted in
 *     {@link Signals#FUTURE_DATED_EVENTS}, so one event dated in the future cannot push every
 *     window past the account's real traffic
 */
public record EventTimeSettings(long allowedLatenessMillis, long maxJumpMillis) {

  /** 24 h of lateness, jumps of more than one hour confirmed by the next event. */
  public static final EventTimeSettings DEFAULT =
      new EventTimeSettings(24 * 3_600_000L, 3_600_000L);

  public EventTimeSettings {
    if (allowedLatenessMillis < 0 || maxJumpMillis < 0) {
      throw new IllegalArgumentException("lateness and jump must be >= 0");
    }
  }
}
