package io.distillguard.actors.escalation;

import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.policy.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
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
 * Derives the campaign entities' effects from the journal, as {@link EffectsProjection} does for
 * accounts: it tails the events tagged {@link CampaignEntity#EFFECTS_TAG} and writes each batch's
 * effects ({@link CampaignWebhooks}: the campaign rows and the {@code campaign.review_requested}
 * messages) in ONE transaction with its own offset row, so a message exists exactly when its
 * decision (or its member's joining) was persisted, once across the cluster.
 */
public final class CampaignEffectsProjection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignEffectsProjection.class);

  /** The projection's name: its row in {@code dg_projection_offset}. */
  public static final String NAME = "campaign-effects";

  private static final int BATCH = 256;
  private static final String PREFIX = CampaignEntity.ENTITY_TYPE_KEY.name() + "|";

  private final StateDatabase db;
  private final CampaignWebhooks webhooks;
  private final Runnable onEnqueued;
  private volatile Runnable onFlagged = () -> {};
  private UniqueKillSwitch killSwitch;
  private CompletionStage<Done> done;

  private CampaignEffectsProjection(
      StateDatabase db, CampaignWebhooks webhooks, Runnable onEnqueued) {
    this.db = db;
    this.webhooks = webhooks;
    this.onEnqueued = onEnqueued;
  }

  /** Starts tailing the campaign events of {@code system}'s journal from the stored offset. */
  public static CampaignEffectsProjection start(
      ActorSystem<?> system,
      StateDatabase db,
      CampaignWebhooks webhooks,
      Executor jdbc,
      Runnable onEnqueued) {
    CampaignEffectsProjection p = new CampaignEffectsProjection(db, webhooks, onEnqueued);
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
                            CompletableFuture.supplyAsync(
                                    () -> db.transact(c -> EffectsProjection.storedOffset(c, NAME)),
                                    jdbc)
                                .thenApply(
                                    from -> {
                                      LOG.info("projecting {} from offset {}", NAME, from);
                                      return journal.eventsByTag(
                                          CampaignEntity.EFFECTS_TAG, Offset.sequence(from));
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

  /**
   * Calls {@code listener} after a batch that flagged members committed ({@link MemberFlags} then
   * delivers them).
   */
  public void onFlagged(Runnable listener) {
    this.onFlagged = listener;
  }

  /** True when every tagged campaign event has its effects written. */
  public boolean caughtUp() {
    return db.transact(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COALESCE(MAX(\"event_id\"), 0) FROM \"event_tag\" WHERE \"tag\" = ?")) {
            ps.setString(1, CampaignEntity.EFFECTS_TAG);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1) <= EffectsProjection.storedOffset(c, NAME);
            }
          }
        });
  }

  private int apply(List<EventEnvelope> batch) {
    boolean[] enqueued = {false};
    boolean[] flagged = {false};
    int count =
        db.transact(
            c -> {
              long stored = EffectsProjection.lockOffset(c, NAME);
              long max = stored;
              int n = 0;
              for (EventEnvelope env : batch) {
                long ordering = ((Sequence) env.offset()).value();
                if (ordering <= stored) {
                  continue; // another node (or an earlier run) applied it
                }
                enqueued[0] |= apply(c, env);
                flagged[0] |= flagMembers(c, env);
                max = Math.max(max, ordering);
                n++;
              }
              if (max > stored) {
                EffectsProjection.storeOffset(c, NAME, max);
              }
              return n;
            });
    if (enqueued[0]) {
      onEnqueued.run();
    }
    if (flagged[0]) {
      onFlagged.run();
    }
    return count;
  }

  /**
   * What a campaign event means for the members' own cases, as {@link MemberFlags} rows: a campaign
   * at REVIEW flags every member REVIEW (and each member that joins it later); a reviewer's
   * CONFIRMED flags the members THROTTLE, CLEARED lifts their flag, as does a release below REVIEW;
   * an account joining a CONFIRMED campaign is flagged THROTTLE when it links strongly, else
   * REVIEW. Runs after {@link #apply(Connection, EventEnvelope)} for the same event (the campaign
   * row is current). Returns true when a row was written.
   */
  private boolean flagMembers(Connection c, EventEnvelope env) throws SQLException {
    String id = env.persistenceId().substring(PREFIX.length());
    long seq = env.sequenceNr();
    long at = env.timestamp();
    Object event = env.event();
    List<String> members = List.of();
    Level level = null;
    List<io.distillguard.policy.Reason> reasons = List.of();
    if (event instanceof CampaignEntity.LevelDecided e) {
      if (e.to() == Level.REVIEW) {
        level = Level.REVIEW;
      } else if (e.from() == Level.REVIEW) {
        level = Level.OK;
      }
      members = e.members();
      reasons = e.reasons();
    } else if (event instanceof CampaignEntity.MemberRecorded e && e.joined()) {
      Level campaign = CampaignWebhooks.row(c, id).map(CampaignWebhooks.Row::level).orElse(null);
      if (campaign == Level.REVIEW) {
        level = Level.REVIEW;
        members = List.of(e.summary().accountId());
      }
    } else if (event instanceof CampaignEntity.JoinedAfterConfirmation e) {
      // Ban evasion: a fresh account carrying on a confirmed campaign is flagged at once.
      level = e.strong() ? Level.THROTTLE : Level.REVIEW;
      members = List.of(e.accountId());
      reasons =
          List.of(
              new io.distillguard.policy.Reason(
                  e.strong() ? "joined-confirmed-campaign-strongly" : "joined-confirmed-campaign",
                  "independent_link_kinds",
                  e.strong() ? 2 : 1,
                  2));
    } else if (event instanceof CampaignEntity.Reviewed e) {
      level = e.verdict() == Level.CONFIRMED ? Level.THROTTLE : Level.OK;
      members = CampaignWebhooks.row(c, id).map(CampaignWebhooks.Row::members).orElse(List.of());
      reasons =
          List.of(
              new io.distillguard.policy.Reason(
                  "campaign-" + e.verdict().name().toLowerCase(java.util.Locale.ROOT),
                  "members",
                  e.members(),
                  0));
    }
    if (level == null || members.isEmpty()) {
      return false;
    }
    for (String m : members) {
      MemberFlags.enqueue(c, m, id, level, seq, reasons, at);
    }
    return true;
  }

  private boolean apply(Connection c, EventEnvelope env) throws SQLException {
    String id = env.persistenceId().substring(PREFIX.length());
    long at = env.timestamp();
    Object event = env.event();
    if (event instanceof CampaignEntity.MemberRecorded e) {
      return e.joined()
          && webhooks.memberJoined(c, id, e.summary().accountId(), e.links(), env.sequenceNr(), at);
    }
    if (event instanceof CampaignEntity.LevelDecided e) {
      return webhooks.levelDecided(
          c,
          id,
          e.to(),
          e.members(),
          e.links(),
          e.reasons(),
          e.signals(),
          e.escalation(),
          env.sequenceNr(),
          at);
    }
    if (event instanceof CampaignEntity.Reviewed e) {
      webhooks.reviewed(c, id, e.verdict(), at);
      return false;
    }
    if (event instanceof CampaignEntity.JoinedAfterConfirmation) {
      return false; // its effect is the member's flag (flagMembers)
    }
    LOG.warn("unexpected event {} in {}", event.getClass().getName(), env.persistenceId());
    return false;
  }

  /** Stops tailing; effects of events not yet projected are written by the next run. */
  @Override
  public void close() {
    if (killSwitch != null) {
      killSwitch.shutdown();
      try {
        done.toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("campaign effects projection did not stop in time", e);
      }
    }
  }
}
