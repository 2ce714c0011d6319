package io.distillguard.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillguard.campaign.CampaignPolicy;
import io.distillguard.policy.Policy.RearmSettings;
import io.distillguard.policy.Policy.ThrottleSettings;
import io.distillguard.signals.EventTimeSettings;
import io.distillguard.signals.Signals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a policy document's top level and its account rules; the {@code campaign_rules} section is
 * read by {@link CampaignPolicyParser}, the {@code evidence} section by {@link EvidenceWeights}.
 */
final class PolicyParser {

  private final PolicyReader in;

  PolicyParser(PolicyReader in) {
    this.in = in;
  }

  Policy policy(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw in.error("$", "the document must be a mapping");
    }
    in.onlyKeys(
        root,
        "$",
        null,
        "version",
        "min_queries",
        "rules",
        "release",
        "throttle",
        "rearm_after_clear",
        "evidence",
        "event_time",
        "campaign_rules");
    String version = in.text(root, "version", "$", null);
    long defaultMin =
        root.has("min_queries") ? in.nonNegativeLong(root, "min_queries", "$", null) : 0;
    JsonNode rulesNode = root.get("rules");
    if (rulesNode == null || !rulesNode.isArray() || rulesNode.isEmpty()) {
      throw in.error("$.rules", "a non-empty list of rules is required");
    }
    List<Rule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < rulesNode.size(); i++) {
      Rule r = rule(rulesNode.get(i), "$.rules[" + i + "]", defaultMin);
      if (!names.add(r.name())) {
        throw in.ruleError(r.name(), "$.rules[" + i + "].name", "duplicate rule name");
      }
      rules.add(r);
    }
    Map<Level, Duration> release = in.release(root, "$");
    EvidenceWeights evidence =
        root.has("evidence")
            ? EvidenceWeights.parse(root.get("evidence"), "$.evidence", in.source())
            : EvidenceWeights.NONE;
    CampaignPolicy campaigns =
        root.has("campaign_rules")
            ? new CampaignPolicyParser(in).campaigns(root.get("campaign_rules"), "$.campaign_rules")
            : CampaignPolicy.NONE;
    return new Policy(
        version,
        in.source(),
        rules,
        release,
        throttle(root),
        rearm(root),
        evidence,
        eventTime(root),
        campaigns);
  }

  private ThrottleSettings throttle(JsonNode root) {
    JsonNode th = root.get("throttle");
    if (th == null) {
      throw in.error("$.throttle", "the throttle section is required");
    }
    in.onlyKeys(
        th,
        "$.throttle",
        null,
        "ttl_minutes",
        "off_stated_use_share",
        "stated_use_min_share",
        "no_profile_share");
    return new ThrottleSettings(
        Duration.ofMinutes(in.positiveLong(th, "ttl_minutes", "$.throttle", null)),
        in.share(th, "off_stated_use_share", "$.throttle"),
        in.share(th, "stated_use_min_share", "$.throttle"),
        in.share(th, "no_profile_share", "$.throttle"));
  }

  private RearmSettings rearm(JsonNode root) {
    JsonNode ra = root.get("rearm_after_clear");
    if (ra == null) {
      throw in.error("$.rearm_after_clear", "the rearm_after_clear section is required");
    }
    in.onlyKeys(ra, "$.rearm_after_clear", null, "volume_factor", "min_new_queries");
    double factor = in.number(ra, "volume_factor", "$.rearm_after_clear", null);
    if (factor < 1.0) {
      throw in.error("$.rearm_after_clear.volume_factor", "must be >= 1, got " + factor);
    }
    return new RearmSettings(
        factor, in.nonNegativeLong(ra, "min_new_queries", "$.rearm_after_clear", null));
  }

  private EventTimeSettings eventTime(JsonNode root) {
    JsonNode et = root.get("event_time");
    if (et == null) {
      return EventTimeSettings.DEFAULT;
    }
    in.onlyKeys(et, "$.event_time", null, "allowed_lateness_minutes", "max_jump_minutes");
    return new EventTimeSettings(
        in.nonNegativeLong(et, "allowed_lateness_minutes", "$.event_time", null) * 60_000L,
        in.nonNegativeLong(et, "max_jump_minutes", "$.event_time", null) * 60_000L);
  }

  private Rule rule(JsonNode n, String path, long defaultMin) {
    if (n == null || !n.isObject()) {
      throw in.error(path, "a rule must be a mapping");
    }
    String name = in.text(n, "name", path, null);
    in.onlyKeys(
        n,
        path,
        name,
        "name",
        "level",
        "min_queries",
        "hold",
        "all_of",
        "any_of",
        "signal",
        "op",
        "threshold",
        "description");
    Level level = in.level(in.text(n, "level", path, name), path + ".level", name);
    if (level == Level.OK || !level.isAutomatic()) {
      throw in.ruleError(
          name, path + ".level", "a rule raises WATCH, REVIEW or THROTTLE, not " + level);
    }
    long min = n.has("min_queries") ? in.nonNegativeLong(n, "min_queries", path, name) : defaultMin;
    PolicyReader.Hold hold = in.hold(n, path, name);
    Condition condition = in.condition(n, path, name, Signals::isKnown, Signals.ALL);
    return new Rule(name, level, min, hold.evaluations(), hold.minutes(), condition);
  }
}
