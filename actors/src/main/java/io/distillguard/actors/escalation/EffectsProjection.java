package io.distillguard.actors.escalation;

import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.account.AccountEntity;
import io.distillguard.actors.account.AccountIndex;
import io.distillguard.policy.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
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
 * Derives the effects of the account entities' events from the journal: escalation and throttle
 * webhooks (the outbox), throttle directives and the account index. It tails the events tagged
 * {@link AccountEntity#EFFECTS_TAG} with the JDBC read journal's {@code eventsByTag} and writes
 * each batch's effects in ONE transaction with the projection's offset, in the same database as the
 * journal: an effect exists if and only if its event was persisted, and a crash between two batches
 * neither loses nor doubles one (the next run starts from the stored offset).
 *
 * <p>Every node of a cluster runs it. Each transaction first locks the offset row ({@code SELECT
 * ... FOR UPDATE}) and skips the events at or below the stored offset, so when two nodes read the
 * same events only the first to commit applies them; the other finds them done. Webhook ids are
 * derived from the event, and the outbox ignores an id it holds, as a second line of defence.
 *
 * <p>A failure (the database unreachable) restarts the stream with backoff from the stored offset.
 * The blocking JDBC work runs on the executor given to {@link #start}, never on an actor thread.
 */
public final class EffectsProjection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EffectsProjection.class);

  /** The projection's name: its row in {@code dg_projection_offset}. */
  public static final String NAME = "account-effects";

  private static final int BATCH = 256;

  private final StateDatabase db;
  private final Escalations escalations;
  private final AccountIndex index;
  private final Runnable onEnqueued;
  private final AtomicLong applied = new AtomicLong();
  private volatile Consumer<AccountEntity.LevelChanged> onLevelChanged = e -> {};
  private UniqueKillSwitch killSwitch;
  private CompletionStage<Done> done;

  private EffectsProjection(
      StateDatabase db, Escalations escalations, AccountIndex index, Runnable onEnqueued) {
    this.db = db;
    this.escalations = escalations;
    this.index = index;
    this.onEnqueued = onEnqueued;
  }

  /**
   * Starts tailing the journal of {@code system} from the stored offset.
   *
   * @param jdbc where the blocking database work runs
   * @param onEnqueued called after a batch that enqueued new messages committed (wakes the
   *     dispatcher)
   */
  public static EffectsProjection start(
      ActorSystem<?> system,
      StateDatabase db,
      Escalations escalations,
      AccountIndex index,
      Executor jdbc,
      Runnable onEnqueued) {
    EffectsProjection p = new EffectsProjection(db, escalations, index, onEnqueued);
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
                            CompletableFuture.supplyAsync(p::storedOffset, jdbc)
                                .thenApply(
                                    from -> {
                                      LOG.info("projecting {} from offset {}", NAME, from);
                                      return journal.eventsByTag(
                                          AccountEntity.EFFECTS_TAG, Offset.sequence(from));
                                    }))
                        .groupedWithin(BATCH, Duration.ofMillis(100))
                        .mapAsync(
                            1, batch -> CompletableFuture.supplyAsync(() -> p.apply(batch), jdbc)))
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(Sink.ignore(), Keep.both())
            .run(system);
    p.killSwitch = run.first();
    p.done = run.second();
    return p;
  }

  /** The offset (journal ordering) up to which effects are written. */
  public long storedOffset() {
    return db.transact(c -> storedOffset(c, NAME));
  }

  /**
   * True when every tagged event in the journal has its effects written (used by the local mode to
   * know when a replay has settled).
   */
  public boolean caughtUp() {
    return db.transact(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COALESCE(MAX(\"event_id\"), 0) FROM \"event_tag\" WHERE \"tag\" = ?")) {
            ps.setString(1, AccountEntity.EFFECTS_TAG);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1) <= storedOffset(c, NAME);
            }
          }
        });
  }

  /**
   * Calls {@code listener} with every level change whose effects this node committed, after the
   * commit (the metrics count decisions here, once across the cluster).
   */
  public void onLevelChanged(Consumer<AccountEntity.LevelChanged> listener) {
    this.onLevelChanged = listener;
  }

  /** Events whose effects this node applied (not counting those another node applied first). */
  public long applied() {
    return applied.get();
  }

  private int apply(List<EventEnvelope> batch) {
    boolean[] enqueued = {false};
    List<AccountEntity.LevelChanged> changes = new ArrayList<>();
    int count =
        db.transact(
            c -> {
              changes.clear();
              long stored = lockOffset(c, NAME);
              long max = stored;
              int n = 0;
              Map<String, AccountIndex.Entry> rows = new LinkedHashMap<>();
              for (EventEnvelope env : batch) {
                long ordering = ((Sequence) env.offset()).value();
                if (ordering <= stored) {
                  continue; // another node (or an earlier run) applied it
                }
                enqueued[0] |= apply(c, env, rows);
                if (env.event() instanceof AccountEntity.LevelChanged e) {
                  changes.add(e);
                }
                max = Math.max(max, ordering);
                n++;
              }
              for (AccountIndex.Entry e : rows.values()) {
                // The index lists an account at its own level raised to its campaign flag's.
                Level level = withCampaignFlag(e.level(), MemberFlags.heldLevel(c, e.accountId()));
                index.upsert(c, e.accountId(), level, e.queriesObserved(), e.updatedAtMillis());
              }
              if (max > stored) {
                storeOffset(c, NAME, max);
              }
              return n;
            });
    applied.addAndGet(count);
    changes.forEach(onLevelChanged);
    if (enqueued[0]) {
      onEnqueued.run();
    }
    return count;
  }

  private boolean apply(Connection c, EventEnvelope env, Map<String, AccountIndex.Entry> rows)
      throws SQLException {
    String account = AccountEntity.accountId(env.persistenceId());
    long at = env.timestamp();
    Object event = env.event();
    if (event instanceof AccountEntity.LevelChanged e) {
      rows.put(account, new AccountIndex.Entry(account, e.to(), e.signals().queriesObserved(), at));
      // An account its campaign already raised above the new level asks for nothing new.
      return e.escalation()
          && !MemberFlags.heldLevel(c, account).isAbove(e.to())
          && escalations.escalate(c, account, e.eventId(), e.to(), e.decision(), e.signals(), at);
    }
    if (event instanceof AccountEntity.Reviewed e) {
      rows.put(account, new AccountIndex.Entry(account, e.verdict(), e.queriesObserved(), at));
      return e.verdict() == Level.CLEARED
          && escalations.cleared(c, account, e.queriesObserved(), e.reviewer(), e.signals(), at);
    }
    if (event instanceof AccountEntity.ObservationRecorded e) {
      AccountIndex.Entry before = rows.get(account);
      Level level =
          e.hysteresis() != null
              ? e.hysteresis().level()
              : before != null ? before.level() : Level.OK;
      rows.put(account, new AccountIndex.Entry(account, level, e.queriesObserved(), at));
      return false;
    }
    if (event instanceof AccountEntity.CampaignFlagged e) {
      MemberFlags.hold(c, account, e.flag(), at);
      AccountIndex.Entry before = rows.get(account);
      long queries =
          e.signals() != null
              ? e.signals().queriesObserved()
              : before != null ? before.queriesObserved() : 0L;
      rows.put(account, new AccountIndex.Entry(account, e.to(), queries, at));
      if (e.escalation()) {
        return escalations.escalateThroughCampaign(
            c, account, e.campaignId(), flagCause(e), e.to(), e.decision(), e.signals(), at);
      }
      if (e.from() == Level.THROTTLE && e.to() != Level.THROTTLE) {
        return escalations.campaignThrottleLifted(
            c, account, e.campaignId(), flagCause(e), e.to(), e.signals(), at);
      }
      return false;
    }
    if (event instanceof AccountEntity.AccountErased) {
      // Withdraw the account's effects once more (an earlier event of this batch or of a batch in
      // flight during the erasure may have re-created them), then remove the marker itself.
      rows.remove(account);
      io.distillguard.actors.erasure.AccountErasure.deleteEffects(c, account);
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM \"event_journal\" WHERE \"ordering\" = ?")) {
        ps.setLong(1, ((Sequence) env.offset()).value());
        ps.executeUpdate();
      }
      return false;
    }
    LOG.warn("unexpected event {} in {}", event.getClass().getName(), env.persistenceId());
    return false;
  }

  /** A stable cause for the webhook ids of a flag change: the campaign and its deciding event. */
  private static String flagCause(AccountEntity.CampaignFlagged e) {
    return "campaign:" + e.campaignId() + ":" + (e.flag() == null ? "lifted" : e.flag().seq());
  }

  private static Level withCampaignFlag(Level own, Level flag) {
    return own.isAutomatic() && flag.isAbove(own) ? flag : own;
  }

  /** Locks the projection's offset row for this transaction (creating it once) and reads it. */
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
        done.toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("effects projection did not stop in time", e);
      }
    }
  }
}
