package io.distillguard.actors.campaign;

import io.distillguard.actors.campaign.CampaignEntity.Absorbed;
import io.distillguard.actors.campaign.CampaignEntity.Event;
import io.distillguard.actors.campaign.CampaignEntity.Handover;
import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.LinkKey;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import io.distillguard.signals.SignalSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a campaign that absorbs another records (pure functions). The absorbed members and links
 * join ({@link Absorbed}; a member both campaigns hold keeps the survivor's summary), and the
 * absorbed campaign's open case is carried over so one operation never has two live cases:
 *
 * <ul>
 *   <li>an absorbed CONFIRMED confirms the survivor (unless a reviewer decided it already): a
 *       {@link CampaignEntity.Reviewed} naming the merge;
 *   <li>an absorbed automatic level above the survivor's (or REVIEW/THROTTLE over a CLEARED
 *       survivor, whose clearance did not see those members) moves the survivor there: a {@link
 *       CampaignEntity.LevelDecided} with reason {@value #REASON}, so its members are flagged and a
 *       review is asked for under the survivor's id;
 *   <li>anything else (a CLEARED or quieter absorbed campaign) leaves the survivor's level.
 * </ul>
 *
 * <p>Absorbed accounts that join a CONFIRMED survivor are treated as accounts joining it directly
 * (ban evasion, {@link BanEvasion}): each is a {@link CampaignEntity.JoinedAfterConfirmation},
 * throttled when it links strongly (or a reviewer confirmed its own campaign), else flagged for
 * review, so a member's level does not depend on whether it came by a merge.
 */
final class CampaignMerges {

  /** The rule name of a level carried over from a merged campaign. */
  static final String REASON = "merged-campaign";

  /** Who a confirmation carried over from a merged campaign names as the reviewer. */
  static final String MERGE_REVIEWER = "campaign-merge";

  private CampaignMerges() {}

  /** The level the survivor takes from an absorbed campaign at {@code absorbed}, if any. */
  static Optional<Level> carried(Level survivor, Level absorbed) {
    if (survivor == Level.CONFIRMED) {
      return Optional.empty();
    }
    if (absorbed == Level.CONFIRMED) {
      return Optional.of(Level.CONFIRMED);
    }
    if (!absorbed.isAutomatic() || absorbed == Level.OK) {
      return Optional.empty();
    }
    if (survivor == Level.CLEARED) {
      return absorbed.isAbove(Level.WATCH) ? Optional.of(absorbed) : Optional.empty();
    }
    return absorbed.isAbove(survivor) ? Optional.of(absorbed) : Optional.empty();
  }

  /**
   * The events of absorbing {@code fromId}'s handover at {@code atMillis}.
   *
   * @param signals the campaign signals of a state (for a carried level's decision)
   * @param minLinkWeight the weakest link that counts (whether a late joiner links strongly)
   */
  static List<Event> absorb(
      CampaignEntityState state,
      String fromId,
      Handover handover,
      long atMillis,
      String policyVersion,
      Function<CampaignEntityState, SignalSnapshot> signals,
      double minLinkWeight) {
    Absorbed absorbed = new Absorbed(fromId, handover.members(), handover.links(), atMillis);
    CampaignEntityState merged = applyAbsorbed(state, absorbed);
    List<Event> events = new ArrayList<>(2);
    events.add(absorbed);
    Optional<Level> carried = carried(state.level(), handover.level());
    if (carried.isPresent() && carried.get() == Level.CONFIRMED) {
      events.add(
          new CampaignEntity.Reviewed(
              Level.CONFIRMED,
              MERGE_REVIEWER,
              "confirmed as " + fromId + ", which merged into this campaign",
              atMillis,
              merged.members().size()));
    } else if (carried.isPresent()) {
      SignalSnapshot s = signals.apply(merged);
      events.add(
          new CampaignEntity.LevelDecided(
              state.level(),
              carried.get(),
              s.eventTimeMillis(),
              List.of(new Reason(REASON, "merged_campaigns", 1, 1)),
              s,
              List.copyOf(merged.members().keySet()),
              merged.links(),
              policyVersion,
              true));
    }
    if (state.level() == Level.CONFIRMED) {
      for (MemberSummary m : handover.members()) {
        String account = m.accountId();
        if (!state.members().containsKey(account) && !state.lateJoiners().containsKey(account)) {
          boolean strong =
              handover.level() == Level.CONFIRMED
                  || BanEvasion.linksStrongly(account, handover.links(), minLinkWeight);
          events.add(new CampaignEntity.JoinedAfterConfirmation(account, strong, atMillis));
        }
      }
    }
    return events;
  }

  /** The state with an absorbed campaign's members and links in (pure). */
  static CampaignEntityState applyAbsorbed(CampaignEntityState state, Absorbed e) {
    LinkedHashMap<String, MemberSummary> members = new LinkedHashMap<>(state.members());
    for (MemberSummary m : e.members()) {
      members.putIfAbsent(m.accountId(), m);
    }
    LinkedHashMap<LinkKey, CampaignLink> kept = new LinkedHashMap<>();
    for (CampaignLink l : state.links()) {
      kept.put(l.key(), l);
    }
    for (CampaignLink l : e.links()) {
      kept.putIfAbsent(l.key(), l);
    }
    List<String> absorbed = new ArrayList<>(state.absorbed());
    absorbed.add(e.fromId());
    List<String> pending = new ArrayList<>(state.pendingMerges());
    pending.remove(e.fromId());
    return state
        .withMembers(members, MemberRecords.boundLinks(kept))
        .withMerge(state.mergedInto(), absorbed)
        .withPendingMerges(pending);
  }
}
