package io.distillguard.actors.campaign;

import io.distillguard.actors.campaign.CampaignEntity.Event;
import io.distillguard.actors.campaign.CampaignEntity.LevelDecided;
import io.distillguard.actors.campaign.CampaignEntity.Member;
import io.distillguard.actors.campaign.CampaignEntity.MemberRecorded;
import io.distillguard.actors.campaign.CampaignEntity.MembersRecorded;
import io.distillguard.actors.campaign.CampaignEntity.RecordedMember;
import io.distillguard.campaign.CampaignCase;
import io.distillguard.campaign.CampaignDecider;
import io.distillguard.campaign.CampaignDecision;
import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.CampaignPolicy;
import io.distillguard.campaign.CampaignState;
import io.distillguard.campaign.EvaluationCadence;
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
 * campaign is evaluated once on the result when it is due ({@link EvaluationCadence}), and the
 * events to persist are the members that matter ({@link CompactJournal}) as one event, the level
 * change if any and the ban evasions. Pure: decided against the state as it was, applied later by
 * the event handler ({@link #apply}).
 */
final class MemberRecords {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignEntity.class);

  private MemberRecords() {}

  /**
   * What recording a chunk decided.
   *
   * @param events the events to persist (none: nothing decided and nothing that matters changed)
   * @param pendingObservations the observations the campaign's members brought that no evaluation
   *     has stood for yet (0 when the chunk's records were evaluated; {@link EvaluationCadence})
   */
  record Outcome(List<Event> events, long pendingObservations) {}

  /**
   * The events for {@code members}, the campaign evaluated when it is due ({@link
   * EvaluationCadence}) with the observations the chunk brings and {@code pendingObservations},
   * those its members brought since its last evaluation.
   */
  static Outcome decide(
      String campaignId,
      CampaignEntityState state,
      List<Member> members,
      Policy p,
      int categoryCount,
      long pendingObservations) {
    // One summary per account, its latest (a chunk names each member once; a list may repeat).
    Map<String, Member> latest = new LinkedHashMap<>();
    int joining = 0;
    long latestEventTime = 0;
    for (Member m : members) {
      latest.remove(m.summary().accountId());
      latest.put(m.summary().accountId(), withRecordedOwnLevel(state, m));
      latestEventTime = Math.max(latestEventTime, m.summary().lastSeenMillis());
    }
    for (String id : latest.keySet()) {
      joining += state.members().containsKey(id) ? 0 : 1;
    }
    // The evaluation stands for one after each of the members' observations (at least one): the
    // rules' holds count observations, so they depend neither on how the intake chunked them nor
    // on how many chunks went by between evaluations.
    long brought = 0;
    for (Member m : members) {
      brought += Math.max(0, m.observations());
    }
    long observations = pendingObservations + Math.max(1, brought);
    boolean evaluate = EvaluationCadence.due(state.members().size() + joining, observations);

    // The only place the policy is read: what it decides here is recorded, never recomputed.
    CampaignPolicy cp = p.campaigns();
    Map<String, long[]> holds = state.holds();
    List<Event> decided = new ArrayList<>(2);
    long eventTime = latestEventTime;
    if (evaluate) {
      CampaignEntityState probe = recordedAll(state, latest.values());
      SignalSnapshot signals =
          CampaignState.signals(
              probe.members().values(), probe.links(), categoryCount, cp.links().minLinkWeight());
      eventTime = signals.eventTimeMillis();
      CampaignCase decision = state.decision();
      int evaluations = (int) Math.min(Integer.MAX_VALUE, observations);
      CampaignDecision d = CampaignDecider.evaluate(decision, cp, signals, evaluations);
      holds = decision.holdsSnapshot();
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
    }
    for (Member m : latest.values()) {
      BanEvasion.evasion(
              state,
              m.summary(),
              m.links(),
              !state.members().containsKey(m.summary().accountId()),
              eventTime,
              cp.links().minLinkWeight())
          .ifPresent(decided::add);
    }

    // The members: all of them when something was decided (the decision names them), else those
    // whose summary or links changed enough to matter; one event, the rules' holds on it.
    List<RecordedMember> recordedMembers = new ArrayList<>(latest.size());
    for (Member m : latest.values()) {
      MemberSummary recorded = state.members().get(m.summary().accountId());
      boolean matters =
          recorded == null
              || CompactJournal.summaryChanged(recorded, m.summary())
              || CompactJournal.linksChanged(state.links(), m.links());
      if (matters || !decided.isEmpty()) {
        recordedMembers.add(new RecordedMember(m.summary(), m.links(), recorded == null));
      }
    }
    if (recordedMembers.isEmpty() && CompactJournal.holdsChanged(state.holds(), holds, cp)) {
      // Only the rules' holds moved: one member's record carries them.
      Member first = latest.values().iterator().next();
      recordedMembers.add(new RecordedMember(first.summary(), first.links(), false));
    }
    List<Event> events = new ArrayList<>(1 + decided.size());
    if (!recordedMembers.isEmpty()) {
      events.add(new MembersRecorded(recordedMembers, holds));
    }
    events.addAll(decided);
    return new Outcome(events, evaluate ? 0 : observations);
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

  /**
   * The state with the recorded members' summaries and links in, and the rules' holds as recorded
   * (pure: a new state, the old one untouched; the members copied once).
   */
  static CampaignEntityState apply(CampaignEntityState state, MembersRecorded recorded) {
    List<Member> members = new ArrayList<>(recorded.members().size());
    for (RecordedMember m : recorded.members()) {
      members.add(new Member(m.summary(), m.links()));
    }
    CampaignEntityState next = recordedAll(state, members);
    return recorded.holds() == null ? next : next.withHolds(recorded.holds());
  }

  /**
   * As {@link #apply(CampaignEntityState, MembersRecorded)}, for one member of an older journal.
   */
  static CampaignEntityState apply(CampaignEntityState state, MemberRecorded recorded) {
    return apply(
        state,
        new MembersRecorded(
            List.of(new RecordedMember(recorded.summary(), recorded.links(), recorded.joined())),
            recorded.holds()));
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
