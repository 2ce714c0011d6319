package io.distillguard.actors.campaign;

import io.distillguard.actors.campaign.CampaignEntity.Absorbed;
import io.distillguard.actors.campaign.CampaignEntity.Event;
import io.distillguard.actors.campaign.CampaignEntity.JoinedAfterConfirmation;
import io.distillguard.actors.campaign.CampaignEntity.LevelDecided;
import io.distillguard.actors.campaign.CampaignEntity.MemberErased;
import io.distillguard.actors.campaign.CampaignEntity.MemberRecorded;
import io.distillguard.actors.campaign.CampaignEntity.MembersRecorded;
import io.distillguard.actors.campaign.CampaignEntity.MergeStarted;
import io.distillguard.actors.campaign.CampaignEntity.MergedInto;
import io.distillguard.actors.campaign.CampaignEntity.Reviewed;
import io.distillguard.campaign.CampaignCase;
import io.distillguard.campaign.CampaignDecider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a campaign's journal events change its state: pure, and needs no policy (recorded decisions
 * are applied as they are). The campaign entity's event handler, on recovery and live alike.
 */
final class CampaignEvents {

  private CampaignEvents() {}

  static CampaignEntityState apply(CampaignEntityState state, Event event) {
    if (event instanceof MembersRecorded e) {
      return joined(MemberRecords.apply(state, e), e.joined());
    }
    if (event instanceof MemberRecorded e) {
      CampaignEntityState next = MemberRecords.apply(state, e);
      return e.joined() ? joined(next, List.of(e.summary().accountId())) : next;
    }
    if (event instanceof LevelDecided e) {
      CampaignCase c = state.decision();
      c.restore(e.to(), e.atMillis(), e.reasons());
      return state.with(c, e.signals());
    }
    if (event instanceof Reviewed e) {
      CampaignCase c = state.decision();
      CampaignDecider.review(c, e.verdict(), e.members(), e.atMillis());
      return state.with(c, state.signals()).withLateJoiners(Map.of());
    }
    if (event instanceof JoinedAfterConfirmation e) {
      Map<String, Boolean> joiners = new HashMap<>(state.lateJoiners());
      joiners.put(e.accountId(), e.strong());
      return state.withLateJoiners(joiners);
    }
    if (event instanceof MemberErased e) {
      return e.campaign();
    }
    if (event instanceof MergedInto e) {
      return state.withMerge(e.survivorId(), state.absorbed());
    }
    if (event instanceof Absorbed e) {
      List<String> joining =
          e.members().stream()
              .map(m -> m.accountId())
              .filter(id -> !state.members().containsKey(id))
              .toList();
      return joined(CampaignMerges.applyAbsorbed(state, e), joining);
    }
    if (event instanceof MergeStarted e) {
      List<String> pending = new ArrayList<>(state.pendingMerges());
      pending.add(e.absorbedId());
      return state.withPendingMerges(pending);
    }
    throw new IllegalArgumentException("unknown campaign event " + event.getClass().getName());
  }

  /** {@code state} once {@code accounts} joined it ({@link ErasureMarks#joined}). */
  private static CampaignEntityState joined(CampaignEntityState state, List<String> accounts) {
    ErasureMarks marks = state.erasures();
    for (String id : accounts) {
      marks = marks.joined(id);
    }
    return marks == state.erasures() ? state : state.withErasures(marks);
  }
}
