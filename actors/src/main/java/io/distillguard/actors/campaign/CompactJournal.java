package io.distillguard.actors.campaign;

import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.CampaignPolicy;
import io.distillguard.campaign.CampaignRule;
import io.distillguard.campaign.LinkKey;
import io.distillguard.campaign.MemberSummary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which member observations the campaign entity journals (pure). A member's summary is cumulative
 * (its whole activity so far, re-sent with each of its observations), so a summary that adds
 * nothing that matters can be left out of the journal without losing anything: the next one
 * restates it. Journaled are the facts that matter:
 *
 * <ul>
 *   <li>a member joining;
 *   <li>a summary that changed materially against the one journaled: a category the member had not
 *       asked about, an eighth more queries, another sign-up time, expected categories,
 *       organisation or own level;
 *   <li>links that changed: a key or a member on a key the campaign did not hold, or a weight moved
 *       by {@value #WEIGHT_STEP} or more;
 *   <li>the rules' hysteresis moving: a rule starting or stopping to hold, or counting an
 *       evaluation toward its hold ({@code hold.evaluations}); past that count, further evaluations
 *       change no decision and are not journaled;
 *   <li>anything the evaluation decided (a level change, a late joiner): always journaled by the
 *       entity with the member's summary.
 * </ul>
 *
 * So a member journals O(log queries + categories) summaries instead of one per observation; the
 * level a recovery ends in is the level that was decided, and what a recovery lacks of the latest
 * summaries is restated by the members' next observations.
 */
final class CompactJournal {

  /**
   * A member's summary is journaled again once its queries grew by an eighth of those journaled
   * (every query up to 8): the campaign's query total and rates read from the journaled summaries
   * then lag the members' by less than 12%, so a rule's {@code min_queries} and volume conditions
   * decide as on every summary, while a member of 1,000 queries journals ~50 summaries, not 1,000.
   */
  static final long GROWTH_DIVISOR = 8;

  /** A link weight moved by this much or more is journaled again. */
  static final double WEIGHT_STEP = 0.05;

  private CompactJournal() {}

  static boolean summaryChanged(MemberSummary recorded, MemberSummary now) {
    return !recorded.categories().keySet().containsAll(now.categories().keySet())
        || now.queries() - recorded.queries() >= Math.max(1, recorded.queries() / GROWTH_DIVISOR)
        || !Objects.equals(recorded.signupMillis(), now.signupMillis())
        || !recorded.expectedCategories().equals(now.expectedCategories())
        || !Objects.equals(recorded.orgId(), now.orgId())
        || !Objects.equals(recorded.ownLevel(), now.ownLevel());
  }

  static boolean linksChanged(List<CampaignLink> held, List<CampaignLink> links) {
    Map<LinkKey, CampaignLink> byKey = new HashMap<>();
    for (CampaignLink l : held) {
      byKey.put(l.key(), l);
    }
    for (CampaignLink l : links) {
      CampaignLink h = byKey.get(l.key());
      if (h == null
          || !h.members().containsAll(l.members())
          || Math.abs(h.weight() - l.weight()) >= WEIGHT_STEP) {
        return true;
      }
    }
    return false;
  }

  static boolean holdsChanged(
      Map<String, long[]> before, Map<String, long[]> after, CampaignPolicy policy) {
    if (!before.keySet().equals(after.keySet())) {
      return true;
    }
    Map<String, Integer> needed = new HashMap<>();
    for (CampaignRule r : policy.rules()) {
      needed.put(r.name(), r.holdEvaluations());
    }
    for (Map.Entry<String, long[]> e : after.entrySet()) {
      long[] b = before.get(e.getKey());
      long[] a = e.getValue();
      int cap = needed.getOrDefault(e.getKey(), Integer.MAX_VALUE);
      if (b[1] != a[1] || Math.min(b[0], cap) != Math.min(a[0], cap)) {
        return true;
      }
    }
    return false;
  }
}
