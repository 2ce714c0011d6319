package io.distillguard.actors.escalation;

import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.account.AccountEntity;
import io.distillguard.actors.account.AccountIndex;
import io.distillguard.actors.account.OwnLevel;
import io.distillguard.policy.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Sequence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives the effects of the account entities' events from the journal: escalation and throttle
 * webhooks (the outbox), throttle directives and the account index. A {@link JournalTail} of the
 * events tagged {@link AccountEntity#EFFECTS_TAG}: each batch's effects are written in ONE
 * transaction with the projection's offset, so an effect exists if and only if its event was
 * persisted, once across the cluster (see {@link JournalTail}). Webhook ids are derived from the
 * event, and the outbox ignores an id it holds, as a second line of defence.
 */
public final class EffectsProjection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EffectsProjection.class);

  /** The projection's name: its row in {@code dg_projection_offset}. */
  public static final String NAME = "account-effects";

  private final Escalations escalations;
  private final AccountIndex index;
  private final Runnable onEnqueued;
  private volatile Consumer<AccountEntity.LevelChanged> onLevelChanged = e -> {};
  private volatile Consumer<List<OwnLevel>> onOwnLevels = l -> {};
  private JournalTail tail;

  /** What one batch did, for after its commit. */
  private record Batch(
      boolean enqueued, List<AccountEntity.LevelChanged> changes, List<OwnLevel> ownLevels) {}

  private EffectsProjection(Escalations escalations, AccountIndex index, Runnable onEnqueued) {
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
    EffectsProjection p = new EffectsProjection(escalations, index, onEnqueued);
    p.tail =
        JournalTail.start(
            system,
            db,
            NAME,
            AccountEntity.EFFECTS_TAG,
            jdbc,
            new JournalTail.Handler<Batch>() {
              @Override
              public Batch apply(Connection c, List<EventEnvelope> events) throws SQLException {
                return p.apply(c, events);
              }

              @Override
              public void committed(Batch batch) {
                batch.changes().forEach(p.onLevelChanged);
                if (!batch.ownLevels().isEmpty()) {
                  p.onOwnLevels.accept(batch.ownLevels());
                }
                if (batch.enqueued()) {
                  p.onEnqueued.run();
                }
              }
            });
    return p;
  }

  /** The offset (journal ordering) up to which effects are written. */
  public long storedOffset() {
    return tail.storedOffset();
  }

  /**
   * True when every tagged event in the journal has its effects written (used by the local mode to
   * know when a replay has settled).
   */
  public boolean caughtUp() {
    return tail.caughtUp();
  }

  /**
   * Calls {@code listener} with every level change whose effects this node committed, after the
   * commit (the metrics count decisions here, once across the cluster).
   */
  public void onLevelChanged(Consumer<AccountEntity.LevelChanged> listener) {
    this.onLevelChanged = listener;
  }

  /**
   * Calls {@code listener} after each committed batch with the own levels its events state, in
   * journal order (see {@link OwnLevel}): the campaign grouping counts linked accounts escalated on
   * their own. Delivered once, by the node that committed the batch.
   */
  public void onOwnLevels(Consumer<List<OwnLevel>> listener) {
    this.onOwnLevels = listener;
  }

  /** Events whose effects this node applied (not counting those another node applied first). */
  public long applied() {
    return tail.applied();
  }

  /** The journal tail behind this projection: its lag and failures, for the metrics. */
  public JournalTail tail() {
    return tail;
  }

  private Batch apply(Connection c, List<EventEnvelope> events) throws SQLException {
    boolean enqueued = false;
    List<AccountEntity.LevelChanged> changes = new ArrayList<>();
    List<OwnLevel> ownLevels = new ArrayList<>();
    Map<String, AccountIndex.Entry> rows = new LinkedHashMap<>();
    // Each account's own level as this batch leaves it (absent: the one recorded stays).
    Map<String, Level> own = new java.util.HashMap<>();
    for (EventEnvelope env : events) {
      // A chunk's facts in order, each as if it had been journaled on its own.
      for (AccountEntity.Event event : facts(env)) {
        enqueued |= apply(c, env, event, rows);
        ownLevel(event).ifPresent(l -> own.put(AccountEntity.accountId(env.persistenceId()), l));
        if (event instanceof AccountEntity.LevelChanged e) {
          changes.add(e);
        }
        OwnLevel stated = OwnLevel.of(AccountEntity.accountId(env.persistenceId()), event);
        if (stated != null) {
          ownLevels.add(stated);
        }
      }
    }
    for (AccountIndex.Entry e : rows.values()) {
      // The index lists an account at its own level raised to its campaign flag's.
      Level level = withCampaignFlag(e.level(), MemberFlags.heldLevel(c, e.accountId()));
      index.upsert(
          c,
          e.accountId(),
          level,
          own.get(e.accountId()),
          e.queriesObserved(),
          e.updatedAtMillis());
    }
    return new Batch(enqueued, changes, ownLevels);
  }

  /** The facts of an envelope's event (a chunk's, in order; another event alone). */
  private static List<AccountEntity.Event> facts(EventEnvelope env) {
    if (env.event() instanceof AccountEntity.Event e) {
      return AccountEntity.ObservationsRecorded.of(e);
    }
    LOG.warn("unexpected event {} in {}", env.event().getClass().getName(), env.persistenceId());
    return List.of();
  }

  private boolean apply(
      Connection c, EventEnvelope env, Object event, Map<String, AccountIndex.Entry> rows)
      throws SQLException {
    String account = AccountEntity.accountId(env.persistenceId());
    long at = env.timestamp();
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
      if (e.hysteresis() == null && before == null) {
        // A chunk's untagged observation before any fact that states the level: the count
        // follows with the chunk's next one that does (a tagged chunk holds one).
        return false;
      }
      Level level = e.hysteresis() != null ? e.hysteresis().level() : before.level();
      rows.put(account, new AccountIndex.Entry(account, level, e.queriesObserved(), at));
      return false;
    }
    if (event instanceof AccountEntity.CampaignFlagged e) {
      MemberFlags.hold(c, account, e.heldFlag(), at);
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
      // A snapshot taken at the marker holds only the emptied state, but its key names the account.
      try (PreparedStatement ps =
          c.prepareStatement(
              "DELETE FROM \"snapshot\" WHERE \"persistence_id\" = ?"
                  + " AND \"sequence_number\" <= ?")) {
        ps.setString(1, env.persistenceId());
        ps.setLong(2, env.sequenceNr());
        ps.executeUpdate();
      }
      return false;
    }
    LOG.warn("unexpected event {} in {}", event.getClass().getName(), env.persistenceId());
    return false;
  }

  /**
   * The account's own level an event states (its rules' or a reviewer's; a campaign flag states
   * none): what the index keeps beside the level the flag raised it to.
   */
  private static java.util.Optional<Level> ownLevel(AccountEntity.Event event) {
    if (event instanceof AccountEntity.LevelChanged e) {
      return java.util.Optional.of(e.to());
    }
    if (event instanceof AccountEntity.Reviewed e) {
      return java.util.Optional.of(e.verdict());
    }
    if (event instanceof AccountEntity.ObservationRecorded e && e.hysteresis() != null) {
      return java.util.Optional.of(e.hysteresis().level());
    }
    return java.util.Optional.empty();
  }

  /** A stable cause for the webhook ids of a flag change: the campaign and its deciding event. */
  private static String flagCause(AccountEntity.CampaignFlagged e) {
    return "campaign:" + e.campaignId() + ":" + (e.flag() == null ? "lifted" : e.flag().seq());
  }

  private static Level withCampaignFlag(Level own, Level flag) {
    return own.isAutomatic() && flag.isAbove(own) ? flag : own;
  }

  /** Stops tailing; effects of events not yet projected are written by the next run. */
  @Override
  public void close() {
    if (tail != null) {
      tail.close();
    }
  }
}
