package io.distillguard.actors.console;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.campaign.CampaignEntity.CampaignStatus;
import io.distillguard.actors.escalation.Escalations;
import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The console's JSON of campaigns (snake_case like the API): a queue row, and the campaign page
 * (members with their own levels, the link graph of accounts and hashed link keys, union coverage
 * against each member's, reasons, signals, decisions, reviews). Link values are keyed hashes; no
 * raw IP, user agent or fingerprint is ever in it.
 */
public final class CampaignJson {

  /** Members drawn in the link graph and the coverage heat map at most. */
  static final int MEMBERS_DRAWN = 150;

  /** Members the campaign page lists at most (a bundle lists every member). */
  static final int MEMBERS_LISTED = 1_000;

  private CampaignJson() {}

  static Map<String, Object> caseRow(ConsoleData.CampaignRow row, List<String> categories) {
    CampaignStatus s = row.status();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("campaign_id", s.campaignId());
    out.put("kind", "campaign ×" + s.members().size());
    out.put("level", s.level().name());
    out.put("severity", row.severity());
    out.put("regressed", false);
    out.put("members", s.members().size());
    out.put("level_since", time(s.levelSinceMillis()));
    out.put("why", ConsoleJson.headline(s.reasons()));
    out.put("why_full", ConsoleJson.why(s.reasons()));
    out.put("rules", s.reasons().stream().map(Reason::rule).distinct().toList());
    out.put("stated_use_category", row.recent().statedUseCategory(categories));
    out.put("top_observed_category", row.recent().topObservedCategory(categories));
    out.put("volume_sparkline", List.of());
    return out;
  }

  static Map<String, Object> campaignCase(CampaignCase c) {
    CampaignStatus s = c.status();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("campaign_id", s.campaignId());
    out.put("merged_into", s.mergedInto());
    out.put("level", s.level().name());
    out.put("level_since", time(s.levelSinceMillis()));
    out.put("why", ConsoleJson.headline(s.reasons()));
    out.put("members_total", s.members().size());
    out.put("journal_from", c.history().fromSequenceNr());
    out.put("members", members(c, MEMBERS_LISTED));
    out.put("graph", graph(c));
    out.put("coverage", coverage(c));
    out.put("reasons", reasons(s.reasons()));
    out.put("signals", signals(s));
    out.put("current_signals", currentSignals(s));
    out.put("decisions", decisions(c.history()));
    out.put("audit", audit(c.history()));
    return out;
  }

  /** The first {@code limit} members with their own level and summary, in joining order. */
  static List<Map<String, Object>> members(CampaignCase c, int limit) {
    List<Map<String, Object>> out = new ArrayList<>();
    int i = 0;
    for (String id : c.status().members()) {
      if (i >= limit) {
        break;
      }
      MemberSummary m = c.history().members().get(id);
      AccountStatus own = c.memberStatus().get(id);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("index", ++i);
      r.put("account_id", id);
      r.put("level", own == null ? null : own.level().name());
      r.put("queries", m == null ? null : m.queries());
      r.put("categories", m == null ? null : m.categories().size());
      r.put("first_seen", m == null ? null : time(m.firstSeenMillis()));
      r.put("last_seen", m == null ? null : time(m.lastSeenMillis()));
      r.put("signup_at", m == null || m.signupMillis() == null ? null : time(m.signupMillis()));
      r.put("org_id", m == null ? null : m.orgId());
      r.put(
          "expected_categories",
          m == null ? List.of() : m.expectedCategories().stream().sorted().toList());
      r.put("evidence", Escalations.evidenceHref(id));
      out.add(r);
    }
    return out;
  }

  /**
   * A graph of accounts and the link keys they share: one node per drawn member ({@code m1}...,
   * labelled by its index in the member table, never by its id) and one per link key (its kind,
   * type, hashed value, weight), an edge from each key to each drawn member seen on it.
   */
  static Map<String, Object> graph(CampaignCase c) {
    List<String> drawn =
        c.status().members().subList(0, Math.min(MEMBERS_DRAWN, c.status().members().size()));
    Map<String, Integer> index = new HashMap<>();
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (int i = 0; i < drawn.size(); i++) {
      index.put(drawn.get(i), i + 1);
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("id", "m" + (i + 1));
      n.put("kind", "account");
      n.put("member", i + 1);
      AccountStatus own = c.memberStatus().get(drawn.get(i));
      n.put("level", own == null ? null : own.level().name());
      nodes.add(n);
    }
    List<Map<String, Object>> edges = new ArrayList<>();
    int k = 0;
    for (CampaignLink l : c.status().links()) {
      String id = "k" + (++k);
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("id", id);
      n.put("kind", l.kind().name().toLowerCase(Locale.ROOT));
      n.put("type", l.key().type().wireName());
      n.put("value", l.key().value());
      n.put("weight", l.weight());
      n.put("members", l.members().size());
      nodes.add(n);
      for (String m : l.members()) {
        Integer i = index.get(m);
        if (i != null) {
          edges.add(Map.of("source", id, "target", "m" + i));
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("members_drawn", drawn.size());
    out.put("nodes", nodes);
    out.put("edges", edges);
    return out;
  }

  /**
   * The union's queries per category and each drawn member's share of its own queries per category,
   * with the categories the member's stated use expects.
   */
  static Map<String, Object> coverage(CampaignCase c) {
    List<String> categories = c.categories();
    long[] union = c.history().union(categories);
    long total = 0;
    for (long n : union) {
      total += n;
    }
    List<Double> unionShare = new ArrayList<>();
    for (long n : union) {
      unionShare.add(total == 0 ? 0.0 : n / (double) total);
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    int i = 0;
    for (String id : c.status().members()) {
      i++;
      if (rows.size() >= MEMBERS_DRAWN) {
        break;
      }
      MemberSummary m = c.history().members().get(id);
      if (m == null) {
        continue;
      }
      long[] counts = CampaignHistory.counts(m, categories);
      long sum = 0;
      for (long n : counts) {
        sum += n;
      }
      List<Double> shares = new ArrayList<>();
      List<Boolean> expected = new ArrayList<>();
      for (int j = 0; j < counts.length; j++) {
        shares.add(sum == 0 ? 0.0 : counts[j] / (double) sum);
        expected.add(m.expectedCategories().contains(categories.get(j)));
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("member", i);
      r.put("account_id", id);
      r.put("shares", shares);
      r.put("expected", expected);
      rows.add(r);
    }
    int unionCategories = 0;
    for (long n : union) {
      unionCategories += n > 0 ? 1 : 0;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("categories", categories);
    out.put("union", union);
    out.put("union_share", unionShare);
    out.put("union_categories", unionCategories);
    out.put("total", total);
    out.put("members", rows);
    return out;
  }

  static List<Map<String, Object>> reasons(List<Reason> reasons) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Reason r : reasons) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rule", r.rule());
      m.put("signal", r.signal());
      m.put("value", r.value());
      m.put("threshold", r.threshold());
      out.add(m);
    }
    return out;
  }

  /** The signals of the campaign's last decision (none when it was never decided). */
  static Map<String, Double> signals(CampaignStatus s) {
    return s.signals() == null ? new TreeMap<>() : s.signals().finiteValues();
  }

  /** The campaign's signals over the members and links it holds now. */
  static Map<String, Double> currentSignals(CampaignStatus s) {
    return s.currentSignals() == null ? new TreeMap<>() : s.currentSignals().finiteValues();
  }

  static List<Map<String, Object>> decisions(CampaignHistory h) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (CampaignHistory.Decision d : h.decisions()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at", time(d.atMillis()));
      m.put("from", d.from().name());
      m.put("to", d.to().name());
      m.put("escalation", d.escalation());
      m.put("members", d.members());
      m.put("why", ConsoleJson.why(d.reasons()));
      m.put("reasons", reasons(d.reasons()));
      m.put("policy_version", d.policyVersion());
      out.add(m);
    }
    return out;
  }

  static List<Map<String, Object>> audit(CampaignHistory h) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (CampaignHistory.Review r : h.reviews()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at", time(r.atMillis()));
      m.put("verdict", r.verdict().name());
      m.put("reviewer", r.reviewer());
      m.put("note", r.note());
      m.put("members", r.members());
      out.add(m);
    }
    return out;
  }

  static String time(long millis) {
    return millis == 0 || millis == Long.MIN_VALUE ? null : Escalations.rfc3339(millis);
  }
}
