package io.distillguard.bench.latency;

/**
 * A fixed-rate schedule: event {@code i} (0-based) is due {@code i / rate} seconds after the start.
 * A producer asks how long to wait before each event and never sends one early; when it falls
 * behind (a GC pause, a busy core) it sends the due events back to back to catch up, so the
 * achieved rate over the run stays the asked one and the delay behind schedule is measured, not
 * hidden. Pure arithmetic on a nanosecond clock given by the caller.
 */
public final class Pacer {

  private final double perSecond;
  private final long startNanos;

  /**
   * @param perSecond events per second, &gt; 0
   * @param startNanos when event 0 is due ({@link System#nanoTime()} scale)
   */
  public Pacer(double perSecond, long startNanos) {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("rate must be > 0: " + perSecond);
    }
    this.perSecond = perSecond;
    this.startNanos = startNanos;
  }

  /** When event {@code index} is due. */
  public long dueAt(long index) {
    return startNanos + Math.round(index * 1e9 / perSecond);
  }

  /** Nanoseconds to wait at {@code nowNanos} before sending event {@code index}; 0 when due. */
  public long waitBefore(long index, long nowNanos) {
    return Math.max(0, dueAt(index) - nowNanos);
  }

  /** How many events are due by {@code nowNanos} (event 0 is due at the start). */
  public long dueBy(long nowNanos) {
    if (nowNanos < startNanos) {
      return 0;
    }
    long n = (long) Math.floor((nowNanos - startNanos) * perSecond / 1e9) + 1;
    // Rounding in dueAt may put the boundary event a nanosecond later than the floor says.
    while (n > 0 && dueAt(n - 1) > nowNanos) {
      n--;
    }
    return n;
  }
}
