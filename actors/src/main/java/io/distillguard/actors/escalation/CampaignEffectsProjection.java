package io.distillguard.actors.escalation;

import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.campaign.CampaignLink;
import io.distillguard.policy.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derives the campaign entities' effects from the journal, as {@link EffectsProjection} does for
 * accounts: a {@link JournalTail} of the events tagged {@link CampaignEntity#EFFECTS_TAG} that
 * writes each batch's effects ({@link CampaignWebhooks}: the campaign rows and the {@code
 * campaign.review_requested}, {@code campaign.confirmed} and {@code campaign.cleared} messages;
 * {@link MemberFlags}: what the members' account entities are told) in ONE transaction with its own
 * offset row, so a message or a member's flag exists exactly when its decision (or its member's
 * joining) was persisted, once across the cluster.
 */
public final class CampaignEffectsProjection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignEffectsProjection.class);

  /** The projection's name: its row in {@code dg_projection_offset}. */
  public static final String NAME = "campaign-effects";

  private final CampaignWebhooks webhooks;
  private final Runnable onEnqueued;
  private volatile Runnable onFlagged = () -> {};
  private JournalTail tail;

  /** What one batch did, for after its commit. */
  private record Batch(boolean enqueued, boolean flagged) {}

  private CampaignEffectsProjection(CampaignWebhooks webhooks, Runnable onEnqueued) {
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
    CampaignEffectsProjection p = new CampaignEffectsProjection(webhooks, onEnqueued);
    p.tail =
        JournalTail.start(
            system,
            db,
            NAME,
            CampaignEntity.EFFECTS_TAG,
            jdbc,
            new JournalTail.Handler<Batch>() {
              @Override
              public Batch apply(Connection c, List<EventEnvelope> events) throws SQLException {
                boolean enqueued = false;
                boolean flagged = false;
                for (EventEnvelope env : events) {
                  enqueued |= p.apply(c, env);
                  flagged |= p.flagMembers(c, env);
                }
                return new Batch(enqueued, flagged);
              }

              @Override
              public void committed(Batch batch) {
                if (batch.enqueued()) {
                  p.onEnqueued.run();
                }
                if (batch.flagged()) {
                  p.onFlagged.run();
                }
              }
            });
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
    return tail.caughtUp();
  }

  /** The journal tail behind this projection: its lag and failures, for the metrics. */
  public JournalTail tail() {
    return tail;
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
    String id = campaignId(env);
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
      members = CampaignMembershipChange.joining(e);
      reasons = e.reasons();
    } else if (event instanceof CampaignEntity.MembersRecorded
        || event instanceof CampaignEntity.MemberRecorded) {
      // Members recorded: those that joined a campaign at REVIEW are flagged as its members are.
      List<String> joined = CampaignMembershipChange.joining(event);
      Level campaign =
          joined.isEmpty()
              ? null
              : CampaignWebhooks.row(c, id).map(CampaignWebhooks.Row::level).orElse(null);
      if (campaign == Level.REVIEW) {
        level = Level.REVIEW;
        members = joined;
      }
    } else if (event instanceof CampaignEntity.Absorbed e) {
      // A merged campaign's members move here: flagged as this campaign's members are (the
      // carried level, if any, follows as its own decision and flags every member). Into a
      // CONFIRMED campaign they come as accounts joining it do: each its JoinedAfterConfirmation.
      Level campaign = CampaignWebhooks.row(c, id).map(CampaignWebhooks.Row::level).orElse(null);
      if (campaign == Level.REVIEW) {
        level = Level.REVIEW;
        members = CampaignMembershipChange.joining(e);
        reasons =
            List.of(new io.distillguard.policy.Reason("merged-campaign", "merged_campaigns", 1, 1));
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
    String id = campaignId(env);
    long at = env.timestamp();
    Object event = env.event();
    if (event instanceof CampaignEntity.MembersRecorded e) {
      List<CampaignLink> links = new ArrayList<>();
      e.members().stream().filter(m -> m.joined()).forEach(m -> links.addAll(m.links()));
      return !e.joined().isEmpty()
          && webhooks.membersJoined(c, id, e.joined(), links, env.sequenceNr(), at);
    }
    if (event instanceof CampaignEntity.MemberRecorded e) {
      return e.joined()
          && webhooks.membersJoined(
              c, id, List.of(e.summary().accountId()), e.links(), env.sequenceNr(), at);
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
    if (event instanceof CampaignEntity.MemberErased e) {
      // An erasure: once more (it may have been interrupted, or a batch in flight meanwhile wrote
      // effects naming the member), the events before the fact go and the effects are restated.
      io.distillguard.actors.erasure.CampaignErasure.deleteBefore(
          c, env.persistenceId(), env.sequenceNr());
      CampaignWithdrawal.restated(c, id, e.campaign(), at);
      MemberFlags.withdraw(c, id, env.sequenceNr(), e.campaign().members()::containsKey);
      return false;
    }
    if (event instanceof CampaignEntity.Reviewed e) {
      return webhooks.reviewed(
          c, id, e.verdict(), e.reviewer(), e.note(), e.atMillis(), env.sequenceNr(), at);
    }
    if (event instanceof CampaignEntity.JoinedAfterConfirmation) {
      return false; // its effect is the member's flag (flagMembers)
    }
    if (event instanceof CampaignEntity.MergedInto e) {
      webhooks.mergedInto(c, id, e.survivorId(), at);
      return false;
    }
    if (event instanceof CampaignEntity.Absorbed e) {
      return webhooks.absorbed(
          c, id, CampaignMembershipChange.joining(e), e.links(), env.sequenceNr(), at);
    }
    LOG.warn("unexpected event {} in {}", event.getClass().getName(), env.persistenceId());
    return false;
  }

  /** The campaign that persisted the event (the tag holds only campaign events). */
  private static String campaignId(EventEnvelope env) {
    return env.persistenceId().substring(CampaignMembershipChange.PREFIX.length());
  }

  /** Stops tailing; effects of events not yet projected are written by the next run. */
  @Override
  public void close() {
    if (tail != null) {
      tail.close();
    }
  }
}
