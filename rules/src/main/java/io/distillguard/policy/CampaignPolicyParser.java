package io.distillguard.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillguard.campaign.CampaignPolicy;
import io.distillguard.campaign.CampaignRule;
import io.distillguard.campaign.CampaignSignals;
import io.distillguard.campaign.LinkKind;
import io.distillguard.campaign.LinkSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads a policy's {@code campaign_rules} section: link settings, release, rearm and the rules. */
final class CampaignPolicyParser {

  private final PolicyReader in;

  CampaignPolicyParser(PolicyReader in) {
    this.in = in;
  }

  CampaignPolicy campaigns(JsonNode n, String path) {
    in.onlyKeys(
        n,
        path,
        null,
        "min_members",
        "min_queries",
        "links",
        "release",
        "rearm_after_clear",
        "rules");
    long defaultMembers = n.has("min_members") ? in.positiveLong(n, "min_members", path, null) : 2;
    long defaultQueries =
        n.has("min_queries") ? in.nonNegativeLong(n, "min_queries", path, null) : 0;
    LinkSettings links =
        n.has("links") ? links(n.get("links"), path + ".links") : LinkSettings.DEFAULT;
    Map<Level, Duration> release = in.release(n, path);
    double factor = 2.0;
    JsonNode ra = n.get("rearm_after_clear");
    if (ra != null) {
      in.onlyKeys(ra, path + ".rearm_after_clear", null, "members_factor");
      factor = in.number(ra, "members_factor", path + ".rearm_after_clear", null);
      if (factor < 1.0) {
        throw in.error(path + ".rearm_after_clear.members_factor", "must be >= 1, got " + factor);
      }
    }
    JsonNode rulesNode = n.get("rules");
    if (rulesNode == null || !rulesNode.isArray()) {
      throw in.error(path + ".rules", "a list of campaign rules is required");
    }
    List<CampaignRule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < rulesNode.size(); i++) {
      CampaignRule r =
          rule(rulesNode.get(i), path + ".rules[" + i + "]", defaultMembers, defaultQueries);
      if (!names.add(r.name())) {
        throw in.ruleError(r.name(), path + ".rules[" + i + "].name", "duplicate rule name");
      }
      rules.add(r);
    }
    return new CampaignPolicy(rules, release, factor, links);
  }

  private LinkSettings links(JsonNode ln, String lp) {
    in.onlyKeys(
        ln,
        lp,
        null,
        "ttl_minutes",
        "max_members_per_key",
        "min_link_weight",
        "stop_word_accounts");
    Map<LinkKind, Integer> stops = new EnumMap<>(LinkKind.class);
    stops.putAll(LinkSettings.DEFAULT.stopWordAccounts());
    JsonNode sw = ln.get("stop_word_accounts");
    if (sw != null) {
      in.onlyKeys(
          sw, lp + ".stop_word_accounts", null, "infrastructure", "registration", "content");
      for (LinkKind kind : LinkKind.values()) {
        String key = kind.name().toLowerCase(Locale.ROOT);
        if (sw.has(key)) {
          long v = in.positiveLong(sw, key, lp + ".stop_word_accounts", null);
          if (v < 3 || v > Integer.MAX_VALUE) {
            throw in.error(lp + ".stop_word_accounts." + key, "must be at least 3");
          }
          stops.put(kind, (int) v);
        }
      }
    }
    long maxMembers =
        ln.has("max_members_per_key")
            ? in.positiveLong(ln, "max_members_per_key", lp, null)
            : LinkSettings.DEFAULT.maxMembersPerKey();
    if (maxMembers < 2 || maxMembers > 100_000) {
      throw in.error(lp + ".max_members_per_key", "must be in 2..100000");
    }
    return new LinkSettings(
        ln.has("ttl_minutes")
            ? Duration.ofMinutes(in.positiveLong(ln, "ttl_minutes", lp, null))
            : LinkSettings.DEFAULT.ttl(),
        (int) maxMembers,
        ln.has("min_link_weight")
            ? in.share(ln, "min_link_weight", lp)
            : LinkSettings.DEFAULT.minLinkWeight(),
        stops);
  }

  private CampaignRule rule(JsonNode n, String path, long defaultMembers, long defaultQueries) {
    if (n == null || !n.isObject()) {
      throw in.error(path, "a campaign rule must be a mapping");
    }
    String name = in.text(n, "name", path, null);
    in.onlyKeys(
        n,
        path,
        name,
        "name",
        "level",
        "min_members",
        "min_queries",
        "hold",
        "all_of",
        "any_of",
        "signal",
        "op",
        "threshold",
        "description");
    Level level = in.level(in.text(n, "level", path, name), path + ".level", name);
    if (level != Level.WATCH && level != Level.REVIEW) {
      throw in.ruleError(
          name,
          path + ".level",
          "a campaign rule raises WATCH or REVIEW, not "
              + level
              + " (members are throttled after a reviewer confirms the campaign)");
    }
    long members =
        n.has("min_members") ? in.positiveLong(n, "min_members", path, name) : defaultMembers;
    long queries =
        n.has("min_queries") ? in.nonNegativeLong(n, "min_queries", path, name) : defaultQueries;
    PolicyReader.Hold hold = in.hold(n, path, name);
    Condition condition =
        in.condition(n, path, name, CampaignSignals::isKnown, CampaignSignals.ALL);
    return new CampaignRule(
        name, level, members, queries, hold.evaluations(), hold.minutes(), condition);
  }
}
