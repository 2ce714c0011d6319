package io.distillguard.actors.console;

import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a campaign's journal says, folded for a reviewer: each member's latest summary (in the order
 * the members joined), every campaign decision with its reasons, and every review (the audit
 * trail). Built from the journal's events in order ({@link #add}); pure, no I/O. Not thread-safe.
 */
public final class CampaignHistory {

  /** One campaign decision: when (event time), from and to, why, with how many members. */
  public record Decision(
      long atMillis,
      Level from,
      Level to,
      boolean escalation,
      List<Reason> reasons,
      int members,
      String policyVersion) {}

  /** One reviewer decision: wall-clock time, verdict, who, the note, the member count then. */
  public record Review(long atMillis, Level verdict, String reviewer, String note, int members) {}

  private final long fromSequenceNr;
  private final LinkedHashMap<String, MemberSummary> members = new LinkedHashMap<>();
  private final List<Decision> decisions = new ArrayList<>();
  private final List<Review> reviews = new ArrayList<>();
  private long events;

  /**
   * @param fromSequenceNr the first journal event folded in (1: the whole journal)
   */
  public CampaignHistory(long fromSequenceNr) {
    this.fromSequenceNr = fromSequenceNr;
  }

  /** Folds one journal event in. */
  public void add(CampaignEntity.Event event) {
    events++;
    if (event instanceof CampaignEntity.MembersRecorded e) {
      e.members().forEach(m -> members.put(m.summary().accountId(), m.summary()));
    } else if (event instanceof CampaignEntity.MemberRecorded e) {
      members.put(e.summary().accountId(), e.summary());
    } else if (event instanceof CampaignEntity.LevelDecided e) {
      decisions.add(
          new Decision(
              e.atMillis(),
              e.from(),
              e.to(),
              e.escalation(),
              e.reasons(),
              e.members().size(),
              e.policyVersion()));
    } else if (event instanceof CampaignEntity.Reviewed e) {
      reviews.add(new Review(e.atMillis(), e.verdict(), e.reviewer(), e.note(), e.members()));
    } else if (event instanceof CampaignEntity.MemberErased e) {
      // A member was erased: the fact restates the members (the events before it are deleted).
      members.clear();
      members.putAll(e.campaign().members());
    } else if (event instanceof CampaignEntity.Absorbed e) {
      // A campaign merged in: its members join with the summaries it held.
      e.members().forEach(m -> members.putIfAbsent(m.accountId(), m));
    }
  }

  /** The first journal event read; above 1 when only the journal's tail was read. */
  public long fromSequenceNr() {
    return fromSequenceNr;
  }

  /** Events folded in. */
  public long events() {
    return events;
  }

  /** Each member's latest summary seen, in the order the members first appeared. */
  public Map<String, MemberSummary> members() {
    return java.util.Collections.unmodifiableMap(members);
  }

  /** Every campaign decision read, in journal order. */
  public List<Decision> decisions() {
    return List.copyOf(decisions);
  }

  /** Every review read, in journal order: the audit trail. */
  public List<Review> reviews() {
    return List.copyOf(reviews);
  }

  /** Queries per category of the union of the members, in {@code categories} order. */
  public long[] union(List<String> categories) {
    long[] out = new long[categories.size()];
    for (MemberSummary m : members.values()) {
      long[] c = counts(m, categories);
      for (int i = 0; i < out.length; i++) {
        out[i] += c[i];
      }
    }
    return out;
  }

  /** One member's queries per category, in {@code categories} order. */
  public static long[] counts(MemberSummary m, List<String> categories) {
    long[] out = new long[categories.size()];
    m.categories()
        .forEach(
            (category, n) -> {
              int i = categories.indexOf(category);
              if (i >= 0) {
                out[i] += n;
              }
            });
    return out;
  }

  /**
   * The category the members' stated uses expect most often (the one most members name), or null
   * when no member's stated use is known.
   */
  public String statedUseCategory(List<String> categories) {
    long[] votes = new long[categories.size()];
    for (MemberSummary m : members.values()) {
      for (String c : m.expectedCategories()) {
        int i = categories.indexOf(c);
        if (i >= 0) {
          votes[i]++;
        }
      }
    }
    return top(votes, categories);
  }

  /** The category the members' union asks most, or null before any query. */
  public String topObservedCategory(List<String> categories) {
    return top(union(categories), categories);
  }

  private static String top(long[] v, List<String> categories) {
    int best = -1;
    for (int i = 0; i < v.length; i++) {
      if (v[i] > 0 && (best < 0 || v[i] > v[best])) {
        best = i;
      }
    }
    return best < 0 ? null : categories.get(best);
  }
}
