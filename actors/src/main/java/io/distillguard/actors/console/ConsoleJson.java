package io.distillguard.actors.console;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.api.ApiJson;
import io.distillguard.actors.escalation.Escalations;
import io.distillguard.contract.AccountProfile;
import io.distillguard.policy.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The console's JSON (snake_case like the API). Attacker-written text (stated uses, prompts, ids,
 * notes) goes out as plain JSON strings: the pages put it in the document with {@code textContent}
 * only, never as markup.
 */
public final class ConsoleJson {

  /** Points of a queue row's volume sparkline (over the account's whole traffic). */
  static final int SPARK_POINTS = 48;

  /** Buckets of the account page's volume timeline at most. */
  static final int TIMELINE_BUCKETS = 400;

  /** Days of the account page's category × day heat map at most (the latest with traffic). */
  static final int HEATMAP_DAYS = 92;

  private ConsoleJson() {}

  /** One line: each rule that fired with its signal, value and threshold. */
  public static String why(List<Reason> reasons) {
    if (reasons.isEmpty()) {
      return "no rule holds now";
    }
    List<String> parts = new ArrayList<>();
    for (Reason r : reasons) {
      parts.add(
          String.format(
              Locale.ROOT, "%s: %s %.2f ≥ %.2f", r.rule(), r.signal(), r.value(), r.threshold()));
    }
    return String.join("; ", parts);
  }

  /**
   * The queue's one line: the reason furthest over its threshold, then the rules that fired, e.g.
   * {@code off_stated_use_share 0.95 ≥ 0.50 · rules: off-stated-use, off-use-sweep}.
   */
  public static String headline(List<Reason> reasons) {
    if (reasons.isEmpty()) {
      return "no rule holds now";
    }
    Reason strongest = reasons.get(0);
    for (Reason r : reasons) {
      if (ratio(r) > ratio(strongest)) {
        strongest = r;
      }
    }
    return String.format(
            Locale.ROOT,
            "%s %.2f ≥ %.2f",
            strongest.signal(),
            strongest.value(),
            strongest.threshold())
        + " · rules: "
        + String.join(", ", reasons.stream().map(Reason::rule).distinct().toList());
  }

  private static double ratio(Reason r) {
    return r.threshold() == 0 ? r.value() : r.value() / Math.abs(r.threshold());
  }

  static Map<String, Object> caseRow(ConsoleData.CaseRow row) {
    AccountStatus s = row.status();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("account_id", s.accountId());
    out.put("kind", row.throughCampaign() ? "campaign member" : "account");
    // The campaign that flags the account, if any (a campaign member's row links to it).
    out.put("member_of", s.campaignId());
    out.put("level", s.level().name());
    out.put("severity", row.severity());
    out.put("regressed", row.recent().regressed());
    out.put("queries_observed", s.queriesObserved());
    out.put("level_since", time(s.levelSinceMillis()));
    out.put("last_event_at", time(s.lastEventAtMillis()));
    out.put("why", headline(s.reasons()));
    out.put("why_full", why(s.reasons()));
    out.put("rules", s.reasons().stream().map(Reason::rule).distinct().toList());
    out.put("stated_use_category", row.recent().statedUseCategory());
    out.put("top_observed_category", row.recent().topObservedCategory());
    out.put("stated_use", row.profile() == null ? null : row.profile().statedUse());
    AccountHistory recent = row.recent();
    out.put(
        "volume_sparkline", List.copyOf(recent.volume(recent.bucketMillis(SPARK_POINTS)).values()));
    return out;
  }

  static Map<String, Object> accountCase(AccountCase c) {
    AccountHistory h = c.history();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", ApiJson.statusJson(c.status()));
    out.put("why", headline(c.status().reasons()));
    out.put("regressed", h.regressed());
    out.put("profile", profile(c.profile()));
    out.put("coverage", coverage(h));
    out.put("timeline", timeline(h));
    out.put("category_days", categoryDays(h));
    out.put("evidence", evidence(c));
    out.put("audit", audit(h));
    return out;
  }

  static Map<String, Object> profile(AccountProfile p) {
    if (p == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("stated_use", p.statedUse());
    out.put("org_id", p.orgId());
    out.put("tier", p.tier());
    out.put("created_at", p.createdAt() == null ? null : p.createdAt().toString());
    out.put("verified_at", p.verifiedAt() == null ? null : p.verifiedAt().toString());
    return out;
  }

  static Map<String, Object> coverage(AccountHistory h) {
    long[] observed = h.observed();
    long[] off = h.offUse();
    double[] expected = h.expectedShares();
    boolean[] unexpected = h.unexpected();
    long total = 0;
    for (long n : observed) {
      total += n;
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < observed.length; i++) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("category", h.categories().get(i));
      r.put("observed", observed[i]);
      r.put("observed_share", total == 0 ? 0.0 : observed[i] / (double) total);
      r.put("off_use", off[i]);
      r.put("expected_share", expected == null ? null : expected[i]);
      boolean unexpectedCategory = unexpected != null && unexpected[i];
      r.put("unexpected", unexpectedCategory);
      // What a reviewer must see first: traffic in a category the stated use does not explain.
      r.put("off_use_highlight", unexpectedCategory && observed[i] > 0);
      rows.add(r);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("has_profile", expected != null);
    out.put("total", total);
    out.put("other_categories", h.otherCategories());
    out.put("categories", rows);
    return out;
  }

  /**
   * The account's traffic by category and day for a heat map: the categories with any traffic (in
   * the taxonomy's order), each marked when the stated use does not explain it, the days with
   * traffic (the latest {@value #HEATMAP_DAYS}), and one {@code [day, category, count]} cell per
   * non-empty pair (indexes into the two lists).
   */
  static Map<String, Object> categoryDays(AccountHistory h) {
    long[] observed = h.observed();
    boolean[] unexpected = h.unexpected();
    List<Integer> shown = new ArrayList<>();
    for (int i = 0; i < observed.length; i++) {
      if (observed[i] > 0) {
        shown.add(i);
      }
    }
    List<String> days = new ArrayList<>();
    List<List<Long>> cells = new ArrayList<>();
    for (Map.Entry<Long, long[]> d : h.perDay(HEATMAP_DAYS).entrySet()) {
      int day = days.size();
      days.add(java.time.Instant.ofEpochMilli(d.getKey()).toString().substring(0, 10));
      for (int j = 0; j < shown.size(); j++) {
        long n = d.getValue()[shown.get(j)];
        if (n > 0) {
          cells.add(List.of((long) day, (long) j, n));
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("days", days);
    out.put("categories", shown.stream().map(i -> h.categories().get(i)).toList());
    out.put("off_use", shown.stream().map(i -> unexpected != null && unexpected[i]).toList());
    out.put("cells", cells);
    return out;
  }

  static Map<String, Object> timeline(AccountHistory h) {
    List<List<Object>> volume = new ArrayList<>();
    long bucket = h.bucketMillis(TIMELINE_BUCKETS);
    h.volume(bucket).forEach((t, n) -> volume.add(List.of(Escalations.rfc3339(t), n)));
    List<Map<String, Object>> changes = new ArrayList<>();
    for (AccountHistory.LevelChange c : h.levelChanges()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at", time(c.atMillis()));
      m.put("from", c.from().name());
      m.put("to", c.to().name());
      m.put("escalation", c.escalation());
      m.put("why", why(c.reasons()));
      m.put("policy_version", c.policyVersion());
      changes.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("volume_bucket_minutes", bucket / 60_000);
    out.put("volume", volume);
    out.put("level_changes", changes);
    out.put("verified_at", h.verifiedAtMillis() == null ? null : time(h.verifiedAtMillis()));
    out.put("first_event_at", h.firstEventMillis() == null ? null : time(h.firstEventMillis()));
    out.put("last_event_at", h.lastEventMillis() == null ? null : time(h.lastEventMillis()));
    out.put(
        "reviews",
        h.reviews().stream()
            .map(r -> Map.of("at", time(r.atMillis()), "verdict", r.verdict().name()))
            .toList());
    return out;
  }

  static Map<String, Object> evidence(AccountCase c) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (EvidenceRanking.Ranked r : c.evidence()) {
      Map<String, Object> m = ApiJson.recordJson(r.record());
      m.put("weight", r.weight());
      List<String> why = new ArrayList<>();
      if (r.unexpected()) {
        why.add("in a category the stated use makes unlikely");
      }
      if (r.farFromStatedUse()) {
        why.add(
            String.format(
                Locale.ROOT,
                "far from the stated use (similarity %.2f)",
                r.record().statedUseSimilarity()));
      }
      m.put("why", why);
      rows.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("prompts", rows);
    out.put("error", c.evidenceError());
    return out;
  }

  static List<Map<String, Object>> audit(AccountHistory h) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (AccountHistory.Review r : h.reviews()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at", time(r.atMillis()));
      m.put("verdict", r.verdict().name());
      m.put("reviewer", r.reviewer());
      m.put("note", r.note());
      m.put("queries_observed", r.queriesObserved());
      out.add(m);
    }
    return out;
  }

  private static String time(long millis) {
    return millis == 0 || millis == Long.MIN_VALUE ? null : Escalations.rfc3339(millis);
  }
}
