package io.distillguard.actors.campaign;

import io.distillguard.actors.CborSerializable;
import io.distillguard.campaign.CampaignCase;
import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import io.distillguard.signals.SignalSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link CampaignEntity}'s state; replaced, never mutated, by the event handlers. Plain data, so
 * it serializes as it is.
 *
 * @param members member summaries in the order the accounts joined
 * @param links the links between members (at most {@value CampaignEntity#MAX_LINKS})
 * @param level the campaign's level and, below, the rest of its decision state
 * @param lateJoiners accounts that joined after the latest CONFIRMED, each with whether it links
 *     strongly (empty until a confirmation; reset by every review)
 * @param mergedInto the campaign this one merged into, or null
 * @param absorbed the campaigns merged into this one
 * @param pendingMerges campaigns this one journaled that it absorbs and has not absorbed yet (the
 *     merge is retried until it completes)
 * @param erasures the campaign's erasure facts, as far as they void its older words ({@link
 *     ErasureMarks})
 */
public record CampaignEntityState(
    LinkedHashMap<String, MemberSummary> members,
    List<CampaignLink> links,
    Level level,
    long levelSinceMillis,
    long lastSupportedMillis,
    long clearedAtMembers,
    List<Reason> reasons,
    Map<String, long[]> holds,
    SignalSnapshot signals,
    Map<String, Boolean> lateJoiners,
    String mergedInto,
    List<String> absorbed,
    List<String> pendingMerges,
    ErasureMarks erasures)
    implements CborSerializable {

  public CampaignEntityState {
    lateJoiners = lateJoiners == null ? Map.of() : lateJoiners;
    absorbed = absorbed == null ? List.of() : List.copyOf(absorbed);
    pendingMerges = pendingMerges == null ? List.of() : List.copyOf(pendingMerges);
    erasures = erasures == null ? ErasureMarks.NONE : erasures;
  }

  static CampaignEntityState empty() {
    return new CampaignEntityState(
        new LinkedHashMap<>(),
        List.of(),
        Level.OK,
        0,
        0,
        0,
        List.of(),
        Map.of(),
        null,
        Map.of(),
        null,
        List.of(),
        List.of(),
        ErasureMarks.NONE);
  }

  /** The same campaign with other members and links (the decision state untouched). */
  CampaignEntityState withMembers(
      LinkedHashMap<String, MemberSummary> newMembers, List<CampaignLink> newLinks) {
    return new CampaignEntityState(
        newMembers,
        newLinks,
        level,
        levelSinceMillis,
        lastSupportedMillis,
        clearedAtMembers,
        reasons,
        holds,
        signals,
        lateJoiners,
        mergedInto,
        absorbed,
        pendingMerges,
        erasures);
  }

  CampaignEntityState withHolds(Map<String, long[]> newHolds) {
    return new CampaignEntityState(
        members,
        links,
        level,
        levelSinceMillis,
        lastSupportedMillis,
        clearedAtMembers,
        reasons,
        newHolds,
        signals,
        lateJoiners,
        mergedInto,
        absorbed,
        pendingMerges,
        erasures);
  }

  CampaignEntityState withMerge(String into, List<String> absorbedIds) {
    return new CampaignEntityState(
        members,
        links,
        level,
        levelSinceMillis,
        lastSupportedMillis,
        clearedAtMembers,
        reasons,
        holds,
        signals,
        lateJoiners,
        into,
        absorbedIds,
        pendingMerges,
        erasures);
  }

  /** The same campaign with other merges pending. */
  CampaignEntityState withPendingMerges(List<String> pending) {
    return new CampaignEntityState(
        members,
        links,
        level,
        levelSinceMillis,
        lastSupportedMillis,
        clearedAtMembers,
        reasons,
        holds,
        signals,
        lateJoiners,
        mergedInto,
        absorbed,
        pending,
        erasures);
  }

  CampaignEntityState withLateJoiners(Map<String, Boolean> joiners) {
    return new CampaignEntityState(
        members,
        links,
        level,
        levelSinceMillis,
        lastSupportedMillis,
        clearedAtMembers,
        reasons,
        holds,
        signals,
        joiners,
        mergedInto,
        absorbed,
        pendingMerges,
        erasures);
  }

  /** The same campaign with other erasure marks. */
  CampaignEntityState withErasures(ErasureMarks marks) {
    return new CampaignEntityState(
        members,
        links,
        level,
        levelSinceMillis,
        lastSupportedMillis,
        clearedAtMembers,
        reasons,
        holds,
        signals,
        lateJoiners,
        mergedInto,
        absorbed,
        pendingMerges,
        marks);
  }

  /**
   * Whether this campaign's word about {@code accountId}, decided by its journal event {@code seq},
   * is about a history erased since ({@link ErasureMarks#voids}).
   */
  public boolean voids(String accountId, long seq) {
    boolean member = members.containsKey(accountId) || lateJoiners.containsKey(accountId);
    return erasures.voids(accountId, seq, member);
  }

  CampaignCase decision() {
    return CampaignCase.of(
        level, levelSinceMillis, lastSupportedMillis, clearedAtMembers, reasons, holds);
  }

  CampaignEntityState with(CampaignCase c, SignalSnapshot newSignals) {
    return new CampaignEntityState(
        members,
        links,
        c.level(),
        c.levelSinceMillis(),
        c.lastSupportedMillis(),
        c.clearedAtMembers(),
        c.reasons(),
        c.holdsSnapshot(),
        newSignals,
        lateJoiners,
        mergedInto,
        absorbed,
        pendingMerges,
        erasures);
  }

  /** What the API shows, with {@code current} the signals over the members and links now. */
  CampaignEntity.CampaignStatus toStatus(String id, SignalSnapshot current) {
    return new CampaignEntity.CampaignStatus(
        id,
        level,
        levelSinceMillis,
        List.copyOf(members.keySet()),
        reasons,
        signals,
        links,
        mergedInto,
        current);
  }
}
