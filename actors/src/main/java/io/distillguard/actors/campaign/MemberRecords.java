package io.distillguard.actors.campaign;

import io.distillguard.actors.campaign.CampaignEntity.Event;
import io.distillguard.actors.campaign.CampaignEntity.LevelDecided;
import io.distillguard.actors.campaign.CampaignEntity.Member;
import io.distillguard.actors.campaign.CampaignEntity.MemberRecorded;
import io.distillguard.campaign.CampaignCase;
import io.distillguard.campaign.CampaignDecider;
import io.distillguard.campaign.CampaignDecision;
import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.CampaignPolicy;
import io.distillguard.campaign.CampaignState;
import io.distillguard.campaign.LinkKey;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import io.distillguard.policy.Reason;
import io.distillguard.signals.SignalSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a campaign entity decides when members are recorded ({@link CampaignEntity.RecordMembers}:
 * the members of one intake chunk, or one member): every member's summary and links go in, the
 * campaign is evaluated ONCE on the result, and the events to persist are the members that matter
 * ({@link CompactJournal}), the level change if any and the ban evasions. Pure: decided against the
 * state as it was, applied later by the event handler ({@link #apply}).
 */
final class MemberRecords {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignEntity.class);

  private MemberRecords() {}

  /** The events for {@code members} (none: nothing decided and nothing that matters changed). */
  static List<Event> decide(
      String campaignId,
      CampaignEntityState state,
      List<Member> members,
      Policy p,
      int categoryCount) {
    // One summary per account, its latest (a chunk names each member once; a list may repeat).
    Map<String, Member> latest = new LinkedHashMap<>();
    for (Member m : members) {
      latest.remove(m.summary().accountId());
      latest.put(m.summary().accountId(), withRecordedOwnLevel(state, m));
    }
    // The only place the policy is read: what it decides here is recorded, never recomputed.
    CampaignPolicy cp = p.campaigns();
    CampaignEntityState probe = recordedAll(state, latest.values());
    SignalSnapshot signals =
        CampaignState.signals(
            probe.members().values(), probe.links(), categoryCount, cp.links().minLinkWeight());
    CampaignCase decision = state.decision();
    // The one evaluation stands for one after each of the members' observations (at least one):
    // the rules' holds count observations, so they do not depend on how the intake chunked them.
    long observations = 0;
    for (Member m : members) {
      observations += Math.max(0, m.observations());
    }
    int evaluations = (int) Math.max(1, Math.min(Integer.MAX_VALUE, observations));
    CampaignDecision d = CampaignDecider.evaluate(decision, cp, signals, evaluations);
    Map<String, long[]> holds = decision.holdsSnapshot();

    List<Event> decided = new ArrayList<>(2);
    if (d.changed()) {
      decided.add(
          new LevelDecided(
              d.previous(),
              d.level(),
              signals.eventTimeMillis(),
              d.reasons(),
              signals,
              List.copyOf(probe.members().keySet()),
              probe.links(),
              p.version(),
              d.level().isAbove(d.previous()) || d.previous() == Level.CLEARED));
      LOG.info(
          "campaign {} {} -> {} with {} members (rules {}; policy {})",
          campaignId,
          d.previous(),
          d.level(),
          probe.members().size(),
          d.reasons().stream().map(Reason::rule).distinct().toList(),
          p.version());
    }
    for (Member m : latest.values()) {
      BanEvasion.evasion(
              state,
              m.summary(),
              m.links(),
              !state.members().containsKey(m.summary().accountId()),
              signals.eventTimeMillis(),
              cp.links().minLinkWeight())
          .ifPresent(decided::add);
    }

    // The members: all of them when something was decided (the decision names them), else those
    // whose summary or links changed enough to matter; the rules' holds ride on each.
    List<Event> events = new ArrayList<>(latest.size() + decided.size());
    for (Member m : latest.values()) {
      MemberSummary recorded = state.members().get(m.summary().accountId());
      boolean matters =
          recorded == null
              || CompactJournal.summaryChanged(recorded, m.summary())
              || CompactJournal.linksChanged(state.links(), m.links());
      if (matters || !decided.isEmpty()) {
        events.add(new MemberRecorded(m.summary(), m.links(), recorded == null, holds));
      }
    }
    if (events.isEmpty() && CompactJournal.holdsChanged(state.holds(), holds, cp)) {
      // Only the rules' holds moved: one member's record carries them.
      Member first = latest.values().iterator().next();
      events.add(new MemberRecorded(first.summary(), first.links(), false, holds));
    }
    events.addAll(decided);
    return events;
  }

  /**
   * {@code m}, its summary carrying the own level recorded for the member when it comes without one
   * (a grouping restarted since, or one that no longer held the account when the level was stated).
   */
  private static Member withRecordedOwnLevel(CampaignEntityState state, Member m) {
    MemberSummary recorded = state.members().get(m.summary().accountId());
    if (m.summary().ownLevel() != null || recorded == null || recorded.ownLevel() == null) {
      return m;
    }
    return new Member(m.summary().withOwnLevel(recorded.ownLevel()), m.links(), m.observations());
  }

  /** The state with a member's summary and links in (pure: a new state, the old one untouched). */
  static CampaignEntityState apply(
      CampaignEntityState state,
      MemberSummary summary,
      List<CampaignLink> links,
      Map<String, long[]> holds) {
    CampaignEntityState next = recordedAll(state, List.of(new Member(summary, links)));
    return holds == null ? next : next.withHolds(holds);
  }

  /**
   * The state with each of {@code members}' summaries and links in, in turn, the links bounded
   * after each member's: what recording them one by one gives, with the members copied once rather
   * than once per member (a chunk of a few hundred members of a campaign of tens of thousands would
   * otherwise copy millions of entries).
   */
  static CampaignEntityState recordedAll(
      CampaignEntityState state, java.util.Collection<Member> members) {
    LinkedHashMap<String, MemberSummary> all = new LinkedHashMap<>(state.members());
    LinkedHashMap<LinkKey, CampaignLink> kept = new LinkedHashMap<>();
    for (CampaignLink l : state.links()) {
      kept.put(l.key(), l);
    }
    List<CampaignLink> links = state.links();
    for (Member m : members) {
      all.put(m.summary().accountId(), m.summary());
      for (CampaignLink l : m.links()) {
        kept.put(l.key(), l);
      }
      links = boundLinks(kept);
    }
    return state.withMembers(all, links);
  }

  /** At most {@value CampaignEntity#MAX_LINKS} links: the weakest leave first. */
  static List<CampaignLink> boundLinks(LinkedHashMap<LinkKey, CampaignLink> kept) {
    while (kept.size() > CampaignEntity.MAX_LINKS) {
      LinkKey weakest = null;
      double min = Double.MAX_VALUE;
      for (CampaignLink l : kept.values()) {
        if (l.weight() < min) {
          min = l.weight();
          weakest = l.key();
        }
      }
      kept.remove(weakest);
    }
    return List.copyOf(kept.values());
  }
}
