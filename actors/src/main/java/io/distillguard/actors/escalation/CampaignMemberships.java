package io.distillguard.actors.escalation;

import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.account.AccountIndex;
import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.actors.campaign.CampaignGrouping;
import io.distillguard.campaign.CampaignDetector;
import io.distillguard.policy.Level;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Which live campaign each account belongs to, and the escalated accounts' own levels (the account
 * index's), for a starting campaign grouping ({@link CampaignGrouping.MembershipSource}): the
 * {@code dg_campaign} rows the campaign effects projection wrote, brought up to date with the
 * campaign journal's events the projection has not passed yet. So a member recorded in the moment
 * before a failover of the grouping, whose row was not written yet, keeps its campaign (instead of
 * being matched again only by its next observation).
 */
public final class CampaignMemberships {

  private CampaignMemberships() {}

  /** The memberships of {@code db}'s campaign rows and {@code system}'s campaign journal tail. */
  public static CampaignGrouping.MembershipSource source(
      ActorSystem<?> system, StateDatabase db, Executor jdbc) {
    JdbcReadJournal journal =
        PersistenceQuery.get(system.classicSystem())
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    return new CampaignGrouping.MembershipSource() {
      @Override
      public CompletionStage<Map<String, String>> load() {
        return CompletableFuture.supplyAsync(
                () ->
                    db.transact(
                        c ->
                            new Rows(
                                CampaignWebhooks.memberships(c),
                                JournalTail.storedOffset(c, CampaignEffectsProjection.NAME))),
                jdbc)
            .thenCompose(
                rows ->
                    journal
                        .currentEventsByTag(
                            CampaignEntity.EFFECTS_TAG, Offset.sequence(rows.offset))
                        .runWith(Sink.seq(), system)
                        .thenApply(tail -> fold(rows.memberships, rows.offset, tail)));
      }

      @Override
      public CompletionStage<Map<String, Level>> ownLevels() {
        return CompletableFuture.supplyAsync(
            () -> new AccountIndex(db).escalatedOwnLevels(CampaignGrouping.MAX_PENDING_OWN_LEVELS),
            jdbc);
      }
    };
  }

  private record Rows(Map<String, String> memberships, long offset) {}

  /**
   * {@code rows} (account to campaign, as projected up to journal ordering {@code offset}) with the
   * linked campaigns' events after it applied in order (a declared organisation's principal is no
   * linked campaign: its id is its organisation's): a member that joined (or a merged campaign's
   * members) belongs to that campaign, a merged campaign's members to its survivor, and an erased
   * member to no campaign ({@link CampaignMembershipChange}). Pure.
   */
  static Map<String, String> fold(Map<String, String> rows, long offset, List<EventEnvelope> tail) {
    Map<String, String> out = new HashMap<>(rows);
    for (EventEnvelope env : tail) {
      if (!(env.offset() instanceof Sequence s) || s.value() <= offset) {
        continue; // projected already: in the rows
      }
      CampaignMembershipChange.campaignId(env.persistenceId())
          .filter(campaign -> !CampaignDetector.isPrincipal(campaign))
          .flatMap(campaign -> CampaignMembershipChange.of(campaign, env.event()))
          .ifPresent(change -> change.applyTo(out));
    }
    return out;
  }
}
