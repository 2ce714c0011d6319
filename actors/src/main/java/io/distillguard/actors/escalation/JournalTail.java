package io.distillguard.actors.escalation;

import io.distillguard.actors.StateDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.AbruptStageTerminationException;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the events of one journal tag and hands them, a batch at a time, to a {@link Handler} that
 * writes their effects in ONE transaction with the tail's offset row ({@code dg_projection_offset},
 * one per name), in the same database as the journal: an effect exists if and only if its event was
 * persisted, and a crash between two batches neither loses nor doubles one (the next run starts
 * from the stored offset). The account effects ({@link EffectsProjection}) and the campaign effects
 * ({@link CampaignEffectsProjection}) are two tails.
 *
 * <p>Every node of a cluster runs every tail. Each transaction first locks the offset row ({@code
 * SELECT ... FOR UPDATE}) and leaves out the events at or below the stored offset, so when two
 * nodes read the same events only the first to commit applies them; the other finds them done.
 *
 * <p>A failure (the database unreachable, an event this node cannot read) restarts the stream with
 * backoff from the stored offset: the tail stops at the event it could not handle, skipping
 * nothing, and goes on once the cause is gone. Each failure is logged and counted ({@link
 * #failures()}), and {@link #lag()} says how far the effects are behind the journal, so a stalled
 * tail shows in the metrics instead of only as webhooks that never come. The blocking JDBC work
 * runs on the executor given to {@link #start}, never on an actor thread.
 */
public final class JournalTail implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JournalTail.class);
  private static final int BATCH = 256;

  /**
   * How far a tail's effects are behind its tag in the journal.
   *
   * @param events tagged events not yet projected (counted up to {@link #LAG_COUNT_LIMIT})
   * @param oldestWriteMillis when the first of them was journaled (0 when none is behind)
   */
  public record Lag(long events, long oldestWriteMillis) {
    /** Nothing behind. */
    public static final Lag NONE = new Lag(0, 0);

    /** Seconds since the oldest event not yet projected was journaled (0 when none). */
    public double seconds(long nowMillis) {
      return events == 0 || oldestWriteMillis <= 0
          ? 0
          : Math.max(0, nowMillis - oldestWriteMillis) / 1000.0;
    }
  }

  /**
   * What a tail does with its events.
   *
   * @param <R> what a batch's work tells {@link #committed} (e.g. whether it enqueued messages)
   */
  public interface Handler<R> {
    /**
     * Writes the effects of {@code events} (in journal order, none applied before) inside {@code
     * c}'s transaction. May run again for the same events when the transaction did not commit.
     */
    R apply(Connection c, List<EventEnvelope> events) throws SQLException;

    /** Called after the transaction of a batch committed, with what its {@link #apply} returned. */
    void committed(R result);
  }

  private final StateDatabase db;
  private final String name;
  private final String tag;
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private UniqueKillSwitch killSwitch;
  private CompletionStage<Done> done;

  private JournalTail(StateDatabase db, String name, String tag) {
    this.db = db;
    this.name = name;
    this.tag = tag;
  }

  /**
   * Starts tailing {@code tag} in the journal of {@code system} from the offset stored under {@code
   * name}.
   *
   * @param jdbc where the blocking database work runs
   */
  public static <R> JournalTail start(
      ActorSystem<?> system,
      StateDatabase db,
      String name,
      String tag,
      Executor jdbc,
      Handler<R> handler) {
    JournalTail t = new JournalTail(db, name, tag);
    JdbcReadJournal journal =
        PersistenceQuery.get(system.classicSystem())
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    RestartSettings restart =
        RestartSettings.create(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2);
    Pair<UniqueKillSwitch, CompletionStage<Done>> run =
        RestartSource.withBackoff(
                restart,
                () ->
                    Source.completionStageSource(
                            CompletableFuture.supplyAsync(t::storedOffset, jdbc)
                                .thenApply(
                                    from -> {
                                      LOG.info("projecting {} from offset {}", name, from);
                                      return journal.eventsByTag(tag, Offset.sequence(from));
                                    }))
                        .groupedWithin(BATCH, Duration.ofMillis(100))
                        .mapAsync(
                            1,
                            batch ->
                                CompletableFuture.supplyAsync(() -> t.apply(batch, handler), jdbc))
                        .watchTermination(
                            (mat, terminated) -> {
                              terminated.whenComplete((d, failure) -> t.failed(failure, jdbc));
                              return mat;
                            }))
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(Sink.ignore(), Keep.both())
            .run(system);
    t.killSwitch = run.first();
    t.done = run.second();
    return t;
  }

  private <R> int apply(List<EventEnvelope> batch, Handler<R> handler) {
    List<Object> result = new ArrayList<>(1);
    int count =
        db.transact(
            c -> {
              result.clear();
              long stored = lockOffset(c, name);
              List<EventEnvelope> fresh = new ArrayList<>(batch.size());
              long max = stored;
              for (EventEnvelope env : batch) {
                long ordering = ((Sequence) env.offset()).value();
                if (ordering > stored) { // else another node (or an earlier run) applied it
                  fresh.add(env);
                  max = Math.max(max, ordering);
                }
              }
              if (fresh.isEmpty()) {
                return 0;
              }
              result.add(handler.apply(c, fresh));
              storeOffset(c, name, max);
              return fresh.size();
            });
    applied.addAndGet(count);
    if (!result.isEmpty()) {
      @SuppressWarnings("unchecked")
      R r = (R) result.get(0);
      handler.committed(r);
    }
    return count;
  }

  /** Counts and logs a failure of the tail's stream (the restart follows with backoff). */
  private void failed(Throwable failure, Executor jdbc) {
    if (failure == null || failure instanceof AbruptStageTerminationException) {
      return; // stopped, or the actor system shut down
    }
    long n = failures.incrementAndGet();
    CompletableFuture.runAsync(
        () -> {
          String at;
          try {
            at = Long.toString(storedOffset());
          } catch (RuntimeException e) {
            at = "(unreadable: " + e + ")";
          }
          // The stream's restart logs the failure's stack trace; this line says what waits.
          LOG.error(
              "{} failed ({} failures since start) and restarts after offset {}: the effects of"
                  + " later events wait until it can go on ({})",
              name,
              n,
              at,
              failure.toString());
        },
        jdbc);
  }

  /** The offset (journal ordering) up to which effects are written. */
  public long storedOffset() {
    return db.transact(c -> storedOffset(c, name));
  }

  /** True when every event of the tag in the journal has its effects written. */
  public boolean caughtUp() {
    return db.transact(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COALESCE(MAX(\"event_id\"), 0) FROM \"event_tag\" WHERE \"tag\" = ?")) {
            ps.setString(1, tag);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1) <= storedOffset(c, name);
            }
          }
        });
  }

  /** This tail's name (its row in {@code dg_projection_offset}). */
  public String name() {
    return name;
  }

  /** How often this node's tail failed and restarted since it started. */
  public long failures() {
    return failures.get();
  }

  /**
   * Counted up to this many: past it the gauge says "at least", and a scrape after a long stall
   * reads a bounded part of the backlog's index instead of all of it.
   */
  public static final long LAG_COUNT_LIMIT = 100_000;

  /**
   * How far the effects are behind the journal: the tagged events after the stored offset (up to
   * {@link #LAG_COUNT_LIMIT}) and when the first of them was journaled.
   */
  public Lag lag() {
    return db.transact(c -> lag(c, name, tag));
  }

  /**
   * How far the tail {@code name} of {@code tag} is behind the journal, read inside {@code c} (a
   * tail that never ran is behind every tagged event).
   */
  public static Lag lag(Connection c, String name, String tag) throws SQLException {
    long offset = storedOffset(c, name);
    long events;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COUNT(*) FROM (SELECT 1 FROM \"event_tag\""
                + " WHERE \"tag\" = ? AND \"event_id\" > ? LIMIT ?) behind")) {
      ps.setString(1, tag);
      ps.setLong(2, offset);
      ps.setLong(3, LAG_COUNT_LIMIT);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        events = rs.getLong(1);
      }
    }
    if (events == 0) {
      return Lag.NONE;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT j.\"write_timestamp\" FROM \"event_tag\" t"
                + " JOIN \"event_journal\" j ON j.\"ordering\" = t.\"event_id\""
                + " WHERE t.\"tag\" = ? AND t.\"event_id\" > ?"
                + " ORDER BY t.\"event_id\" LIMIT 1")) {
      ps.setString(1, tag);
      ps.setLong(2, offset);
      try (ResultSet rs = ps.executeQuery()) {
        return new Lag(events, rs.next() ? rs.getLong(1) : 0);
      }
    }
  }

  /** Events whose effects this node applied (not counting those another node applied first). */
  public long applied() {
    return applied.get();
  }

  /** Locks the tail's offset row for this transaction (creating it once) and reads it. */
  static long lockOffset(Connection c, String name) throws SQLException {
    for (int attempt = 0; attempt < 2; attempt++) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT last_ordering FROM dg_projection_offset WHERE name = ? FOR UPDATE")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return rs.getLong(1);
          }
        }
      }
      // First run on this database. Should two nodes insert at once, one fails on the key and
      // its stream restarts from the stored offset.
      try (PreparedStatement ins =
          c.prepareStatement(
              "INSERT INTO dg_projection_offset (name, last_ordering, updated_at)"
                  + " VALUES (?, 0, ?)")) {
        ins.setString(1, name);
        ins.setLong(2, System.currentTimeMillis());
        ins.executeUpdate();
      }
    }
    throw new IllegalStateException("projection offset row missing");
  }

  static void storeOffset(Connection c, String name, long ordering) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE dg_projection_offset SET last_ordering = ?, updated_at = ? WHERE name = ?")) {
      ps.setLong(1, ordering);
      ps.setLong(2, System.currentTimeMillis());
      ps.setString(3, name);
      ps.executeUpdate();
    }
  }

  static long storedOffset(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT last_ordering FROM dg_projection_offset WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    }
  }

  /** Stops tailing; effects of events not yet projected are written by the next run. */
  @Override
  public void close() {
    if (killSwitch != null) {
      killSwitch.shutdown();
      try {
        done.toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("{} did not stop in time", name, e);
      }
    }
  }
}
