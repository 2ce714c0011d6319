package io.distillguard.actors.intake;

import io.distillguard.observe.AccountObservation;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Puts the intake's recorded chunks back into event-time order before the campaign grouping sees
 * them. Observations reach the actor side in arrival order: the ingest job's parallel subtasks (and
 * Kafka's partitions) interleave accounts as they please, and one account's traffic can run minutes
 * of event time ahead of the others'. The grouping weighs a link key by how many accounts it has
 * seen on it, and a campaign entity evaluates what the grouping has seen, so without this a
 * campaign could be judged on a state that never existed in event time (two accounts with minutes
 * of traffic on an address block that fifty accounts shared by then), and its decision would follow
 * the arrival order, not the input.
 *
 * <p>Observations are held until the latest event time seen has passed theirs by the {@code
 * lateness}, then released in event-time order (ties: account, then arrival, so each account keeps
 * its own order); beyond {@code maxHeld} held, the earliest go at once (memory stays bounded at any
 * rate). {@link #flush} releases everything (the end of a stream), and so does {@link #tick} when
 * no chunk came since the tick before (an idle stream). An observation that arrives after later
 * ones were released is released at once, out of order, and counted ({@link #late}). A chunk's
 * records are released once all of its observations are, chunks in arrival order, so what the
 * intake acknowledges was routed.
 *
 * <p>Pure and deterministic: the same chunks give the same releases. Not thread-safe (one stream
 * stage owns it).
 *
 * @param <T> the records a chunk settles
 */
final class EventTimeOrder<T> {

  /** What a call released: observations in event-time order, and the chunks now complete. */
  record Released<T>(List<AccountObservation> observations, long handled, List<T> settles) {
    boolean isEmpty() {
      return observations.isEmpty() && settles.isEmpty() && handled == 0;
    }
  }

  private record Held(AccountObservation observation, long arrival, Chunk<?> chunk) {}

  private static final class Chunk<T> {
    final long handled;
    final List<T> settles;
    int remaining;

    Chunk(long handled, List<T> settles, int remaining) {
      this.handled = handled;
      this.settles = settles;
      this.remaining = remaining;
    }
  }

  private static final Comparator<Held> ORDER =
      Comparator.<Held>comparingLong(h -> h.observation().eventTimeMillis())
          .thenComparing(h -> h.observation().accountId())
          .thenComparingLong(Held::arrival);

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(EventTimeOrder.class);

  private final long latenessMillis;
  private final int maxHeld;
  private boolean arrivedSinceTick;
  private final PriorityQueue<Held> held = new PriorityQueue<>(ORDER);
  private final Deque<Chunk<T>> open = new ArrayDeque<>();
  private long arrivals;
  private long maxEventTime = Long.MIN_VALUE;
  private long releasedUpTo = Long.MIN_VALUE;
  private long late;

  /**
   * @param lateness how far the latest event time seen must have passed an observation's
   * @param maxHeld the most observations held; beyond it the earliest are released at once
   */
  EventTimeOrder(Duration lateness, int maxHeld) {
    if (lateness.isNegative() || maxHeld < 0) {
      throw new IllegalArgumentException("lateness and maxHeld must be >= 0");
    }
    this.latenessMillis = lateness.toMillis();
    this.maxHeld = maxHeld;
  }

  /**
   * Takes a recorded chunk ({@code observations} in arrival order, {@code handled} observations it
   * stands for, {@code settles} its records) and releases what the event time seen now allows.
   */
  Released<T> add(List<AccountObservation> observations, long handled, List<T> settles) {
    arrivedSinceTick = true;
    Chunk<T> chunk = new Chunk<>(handled, settles, observations.size());
    open.addLast(chunk);
    long lateBefore = late;
    for (AccountObservation o : observations) {
      if (o.eventTimeMillis() < releasedUpTo) {
        late++;
      }
      held.add(new Held(o, arrivals++, chunk));
      maxEventTime = Math.max(maxEventTime, o.eventTimeMillis());
    }
    if (late > lateBefore) {
      LOG.debug(
          "{} observations reached the campaign grouping behind ones already released",
          late - lateBefore);
    }
    return release(maxEventTime - latenessMillis, false);
  }

  /** Releases everything held. */
  Released<T> flush() {
    return release(Long.MAX_VALUE, true);
  }

  /**
   * A clock tick: releases everything held when no chunk came since the tick before (the stream is
   * idle), else nothing.
   */
  Released<T> tick() {
    boolean idle = !arrivedSinceTick;
    arrivedSinceTick = false;
    return idle && !held.isEmpty() ? flush() : release(Long.MIN_VALUE, false);
  }

  /** Observations held now. */
  int held() {
    return held.size();
  }

  /** Observations that arrived after later ones had been released (released out of order). */
  long late() {
    return late;
  }

  private Released<T> release(long upTo, boolean all) {
    List<AccountObservation> out = new ArrayList<>();
    while (!held.isEmpty()
        && (all
            || held.size() > maxHeld
            || held.peek().observation().eventTimeMillis() <= upTo
            || held.peek().observation().eventTimeMillis() < releasedUpTo)) {
      Held h = held.poll();
      out.add(h.observation());
      h.chunk().remaining--;
      releasedUpTo = Math.max(releasedUpTo, h.observation().eventTimeMillis());
    }
    long handled = 0;
    List<T> settles = new ArrayList<>();
    while (!open.isEmpty() && open.peekFirst().remaining == 0) {
      Chunk<T> c = open.pollFirst();
      handled += c.handled;
      settles.addAll(c.settles);
    }
    return new Released<>(out, handled, settles);
  }
}
