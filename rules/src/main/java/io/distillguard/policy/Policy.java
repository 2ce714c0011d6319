package io.distillguard.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.distillguard.campaign.CampaignPolicy;
import io.distillguard.campaign.CampaignRule;
import io.distillguard.campaign.CampaignSignals;
import io.distillguard.campaign.LinkKind;
import io.distillguard.campaign.LinkSettings;
import io.distillguard.policy.Condition.Comparison;
import io.distillguard.signals.EventTimeSettings;
import io.distillguard.signals.Signals;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An immutable, validated rule set read from a declarative YAML (or JSON) policy file. The shipped
 * default is the classpath resource {@code policy/default-policy.yaml}; operators point the service
 * at their own file and {@link PolicyReloader} picks up edits without a redeploy.
 *
 * <p>File shape (see the default file for a commented example):
 *
 * <pre>
 * version: "..."                      # required, echoed in decisions' provenance
 * min_queries: 50                     # default minimum sample for every rule
 * rules:                              # required, at least one
 *   - name: broad-coverage-off-stated-use
 *     level: REVIEW                   # WATCH | REVIEW | THROTTLE
 *     min_queries: 150                # optional, overrides the default
 *     hold: {evaluations: 10, minutes: 0}   # optional hysteresis before the rule fires
 *     all_of:                         # or any_of, or a single {signal, op, threshold}
 *       - {signal: coverage_entropy, op: "&gt;=", threshold: 0.7}
 * release:                            # cool-down before a level is released; absent = sticky
 *   WATCH: {after_minutes: 240}
 * throttle: {ttl_minutes: 60, off_stated_use_share: 0.1, stated_use_min_share: 0.05,
 *            no_profile_share: 0.25}
 * rearm_after_clear: {volume_factor: 2.0, min_new_queries: 200}
 * evidence: {calibration: "...", default_weight: 0, weights: {...}}   # optional, see EvidenceWeights
 * event_time: {allowed_lateness_minutes: 1440, max_jump_minutes: 60}  # optional, these defaults
 * campaign_rules:                     # optional: rules over groups of linked accounts
 *   min_members: 3                    # defaults for every campaign rule
 *   min_queries: 60
 *   links: {ttl_minutes: 10080, max_members_per_key: 256, min_link_weight: 0.25,
 *           stop_word_accounts: {infrastructure: 1000, registration: 5000, content: 20000}}
 *   release: {WATCH: {after_minutes: 1440}}
 *   rearm_after_clear: {members_factor: 2.0}
 *   rules:                            # same shape as rules; signals from CampaignSignals
 *     - {name: ..., level: REVIEW, min_members: 3, hold: {...}, all_of: [...]}
 * </pre>
 *
 * Unknown keys are errors (a typo must not silently disable a rule).
 */
public final class Policy {

  /** Classpath location of the shipped default. */
  public static final String DEFAULT_RESOURCE = "policy/default-policy.yaml";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** How a THROTTLE decision is turned into per-category allowed shares. */
  public record ThrottleSettings(
      Duration ttl, double offStatedUseShare, double statedUseMinShare, double noProfileShare) {}

  /** When a level cleared by a reviewer may be escalated again. */
  public record RearmSettings(double volumeFactor, long minNewQueries) {}

  private final String version;
  private final String source;
  private final List<Rule> rules;
  private final Map<Level, Duration> releaseAfter;
  private final ThrottleSettings throttle;
  private final RearmSettings rearm;
  private final EvidenceWeights evidence;
  private final EventTimeSettings eventTime;
  private final CampaignPolicy campaigns;

  private Policy(
      String version,
      String source,
      List<Rule> rules,
      Map<Level, Duration> releaseAfter,
      ThrottleSettings throttle,
      RearmSettings rearm,
      EvidenceWeights evidence,
      EventTimeSettings eventTime,
      CampaignPolicy campaigns) {
    this.campaigns = campaigns;
    this.evidence = evidence;
    this.eventTime = eventTime;
    this.version = version;
    this.source = source;
    this.rules = List.copyOf(rules);
    this.releaseAfter = Map.copyOf(releaseAfter);
    this.throttle = throttle;
    this.rearm = rearm;
  }

  /** The shipped default policy. */
  public static Policy loadDefault() {
    try (InputStream in = Policy.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new PolicyException("classpath resource " + DEFAULT_RESOURCE + " is missing");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULT_RESOURCE);
    } catch (IOException e) {
      throw new PolicyException("cannot read " + DEFAULT_RESOURCE + ": " + e.getMessage(), e);
    }
  }

  /** Reads and validates a policy file. */
  public static Policy load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PolicyException("cannot read policy file " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /**
   * Parses and validates a policy document; {@code source} names it in error messages.
   *
   * @throws PolicyException naming the source, the rule and the path of the first problem
   */
  public static Policy parse(String text, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (IOException e) {
      throw new PolicyException("policy " + source + ": not valid YAML: " + e.getMessage(), e);
    }
    return new Parser(source).policy(root);
  }

  public String version() {
    return version;
  }

  /** Where this policy was read from (a path or a classpath resource). */
  public String source() {
    return source;
  }

  public List<Rule> rules() {
    return rules;
  }

  /** How long (event time) a level must go unsupported before it is released; empty = sticky. */
  public Optional<Duration> releaseAfter(Level level) {
    return Optional.ofNullable(releaseAfter.get(level));
  }

  public ThrottleSettings throttle() {
    return throttle;
  }

  public RearmSettings rearm() {
    return rearm;
  }

  /** The per-query weights behind {@code evidence_score} (zero without an evidence section). */
  public EvidenceWeights evidence() {
    return evidence;
  }

  /** How late and future-dated events enter the windows. */
  public EventTimeSettings eventTime() {
    return eventTime;
  }

  /** The campaign rules and link settings ({@link CampaignPolicy#NONE} without the section). */
  public CampaignPolicy campaigns() {
    return campaigns;
  }

  @Override
  public String toString() {
    return "Policy[" + version + " from " + source + ", " + rules.size() + " rules]";
  }

  /** Validating reader: every error names the source and the path in the document. */
  private static final class Parser {
    private final String source;

    Parser(String source) {
      this.source = source;
    }

    private PolicyException error(String path, String message) {
      return new PolicyException("policy " + source + " at " + path + ": " + message);
    }

    private PolicyException ruleError(String rule, String path, String message) {
      return new PolicyException(
          "policy " + source + ", rule '" + rule + "' at " + path + ": " + message);
    }

    Policy policy(JsonNode root) {
      if (root == null || !root.isObject()) {
        throw error("$", "the document must be a mapping");
      }
      onlyKeys(
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
      String version = text(root, "version", "$", null);
      long defaultMin =
          root.has("min_queries") ? nonNegativeLong(root, "min_queries", "$", null) : 0;
      JsonNode rulesNode = root.get("rules");
      if (rulesNode == null || !rulesNode.isArray() || rulesNode.isEmpty()) {
        throw error("$.rules", "a non-empty list of rules is required");
      }
      List<Rule> rules = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (int i = 0; i < rulesNode.size(); i++) {
        Rule r = rule(rulesNode.get(i), "$.rules[" + i + "]", defaultMin);
        if (!names.add(r.name())) {
          throw ruleError(r.name(), "$.rules[" + i + "].name", "duplicate rule name");
        }
        rules.add(r);
      }
      Map<Level, Duration> release = new EnumMap<>(Level.class);
      JsonNode rel = root.get("release");
      if (rel != null) {
        if (!rel.isObject()) {
          throw error("$.release", "must be a mapping of level to {after_minutes}");
        }
        for (Iterator<String> it = rel.fieldNames(); it.hasNext(); ) {
          String key = it.next();
          String path = "$.release." + key;
          Level level = level(key, path, null);
          JsonNode n = rel.get(key);
          onlyKeys(n, path, null, "after_minutes");
          release.put(level, Duration.ofMinutes(positiveLong(n, "after_minutes", path, null)));
        }
      }
      JsonNode th = root.get("throttle");
      if (th == null) {
        throw error("$.throttle", "the throttle section is required");
      }
      onlyKeys(
          th,
          "$.throttle",
          null,
          "ttl_minutes",
          "off_stated_use_share",
          "stated_use_min_share",
          "no_profile_share");
      ThrottleSettings throttle =
          new ThrottleSettings(
              Duration.ofMinutes(positiveLong(th, "ttl_minutes", "$.throttle", null)),
              share(th, "off_stated_use_share", "$.throttle"),
              share(th, "stated_use_min_share", "$.throttle"),
              share(th, "no_profile_share", "$.throttle"));
      JsonNode ra = root.get("rearm_after_clear");
      if (ra == null) {
        throw error("$.rearm_after_clear", "the rearm_after_clear section is required");
      }
      onlyKeys(ra, "$.rearm_after_clear", null, "volume_factor", "min_new_queries");
      double factor = number(ra, "volume_factor", "$.rearm_after_clear", null);
      if (factor < 1.0) {
        throw error("$.rearm_after_clear.volume_factor", "must be >= 1, got " + factor);
      }
      RearmSettings rearm =
          new RearmSettings(
              factor, nonNegativeLong(ra, "min_new_queries", "$.rearm_after_clear", null));
      EvidenceWeights evidence =
          root.has("evidence")
              ? EvidenceWeights.parse(root.get("evidence"), "$.evidence", source)
              : EvidenceWeights.NONE;
      EventTimeSettings eventTime = EventTimeSettings.DEFAULT;
      JsonNode et = root.get("event_time");
      if (et != null) {
        onlyKeys(et, "$.event_time", null, "allowed_lateness_minutes", "max_jump_minutes");
        eventTime =
            new EventTimeSettings(
                nonNegativeLong(et, "allowed_lateness_minutes", "$.event_time", null) * 60_000L,
                nonNegativeLong(et, "max_jump_minutes", "$.event_time", null) * 60_000L);
      }
      CampaignPolicy campaigns =
          root.has("campaign_rules")
              ? campaigns(root.get("campaign_rules"), "$.campaign_rules")
              : CampaignPolicy.NONE;
      return new Policy(
          version, source, rules, release, throttle, rearm, evidence, eventTime, campaigns);
    }

    private CampaignPolicy campaigns(JsonNode n, String path) {
      onlyKeys(
          n,
          path,
          null,
          "min_members",
          "min_queries",
          "links",
          "release",
          "rearm_after_clear",
          "rules");
      long defaultMembers = n.has("min_members") ? positiveLong(n, "min_members", path, null) : 2;
      long defaultQueries =
          n.has("min_queries") ? nonNegativeLong(n, "min_queries", path, null) : 0;
      LinkSettings links = LinkSettings.DEFAULT;
      JsonNode ln = n.get("links");
      if (ln != null) {
        String lp = path + ".links";
        onlyKeys(
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
          onlyKeys(
              sw, lp + ".stop_word_accounts", null, "infrastructure", "registration", "content");
          for (LinkKind kind : LinkKind.values()) {
            String key = kind.name().toLowerCase(java.util.Locale.ROOT);
            if (sw.has(key)) {
              long v = positiveLong(sw, key, lp + ".stop_word_accounts", null);
              if (v < 3 || v > Integer.MAX_VALUE) {
                throw error(lp + ".stop_word_accounts." + key, "must be at least 3");
              }
              stops.put(kind, (int) v);
            }
          }
        }
        long maxMembers =
            ln.has("max_members_per_key")
                ? positiveLong(ln, "max_members_per_key", lp, null)
                : LinkSettings.DEFAULT.maxMembersPerKey();
        if (maxMembers < 2 || maxMembers > 100_000) {
          throw error(lp + ".max_members_per_key", "must be in 2..100000");
        }
        links =
            new LinkSettings(
                ln.has("ttl_minutes")
                    ? Duration.ofMinutes(positiveLong(ln, "ttl_minutes", lp, null))
                    : LinkSettings.DEFAULT.ttl(),
                (int) maxMembers,
                ln.has("min_link_weight")
                    ? share(ln, "min_link_weight", lp)
                    : LinkSettings.DEFAULT.minLinkWeight(),
                stops);
      }
      Map<Level, Duration> release = new EnumMap<>(Level.class);
      JsonNode rel = n.get("release");
      if (rel != null) {
        if (!rel.isObject()) {
          throw error(path + ".release", "must be a mapping of level to {after_minutes}");
        }
        for (Iterator<String> it = rel.fieldNames(); it.hasNext(); ) {
          String key = it.next();
          String rp = path + ".release." + key;
          Level level = level(key, rp, null);
          JsonNode r = rel.get(key);
          onlyKeys(r, rp, null, "after_minutes");
          release.put(level, Duration.ofMinutes(positiveLong(r, "after_minutes", rp, null)));
        }
      }
      double factor = 2.0;
      JsonNode ra = n.get("rearm_after_clear");
      if (ra != null) {
        onlyKeys(ra, path + ".rearm_after_clear", null, "members_factor");
        factor = number(ra, "members_factor", path + ".rearm_after_clear", null);
        if (factor < 1.0) {
          throw error(path + ".rearm_after_clear.members_factor", "must be >= 1, got " + factor);
        }
      }
      JsonNode rulesNode = n.get("rules");
      if (rulesNode == null || !rulesNode.isArray()) {
        throw error(path + ".rules", "a list of campaign rules is required");
      }
      List<CampaignRule> rules = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (int i = 0; i < rulesNode.size(); i++) {
        CampaignRule r =
            campaignRule(
                rulesNode.get(i), path + ".rules[" + i + "]", defaultMembers, defaultQueries);
        if (!names.add(r.name())) {
          throw ruleError(r.name(), path + ".rules[" + i + "].name", "duplicate rule name");
        }
        rules.add(r);
      }
      return new CampaignPolicy(rules, release, factor, links);
    }

    private CampaignRule campaignRule(
        JsonNode n, String path, long defaultMembers, long defaultQueries) {
      if (n == null || !n.isObject()) {
        throw error(path, "a campaign rule must be a mapping");
      }
      String name = text(n, "name", path, null);
      onlyKeys(
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
      Level level = level(text(n, "level", path, name), path + ".level", name);
      if (level != Level.WATCH && level != Level.REVIEW) {
        throw ruleError(
            name,
            path + ".level",
            "a campaign rule raises WATCH or REVIEW, not "
                + level
                + " (members are throttled after a reviewer confirms the campaign)");
      }
      long members =
          n.has("min_members") ? positiveLong(n, "min_members", path, name) : defaultMembers;
      long queries =
          n.has("min_queries") ? nonNegativeLong(n, "min_queries", path, name) : defaultQueries;
      int holdEvaluations = 1;
      long holdMinutes = 0;
      JsonNode hold = n.get("hold");
      if (hold != null) {
        onlyKeys(hold, path + ".hold", name, "evaluations", "minutes");
        if (hold.has("evaluations")) {
          holdEvaluations = (int) positiveLong(hold, "evaluations", path + ".hold", name);
        }
        if (hold.has("minutes")) {
          holdMinutes = nonNegativeLong(hold, "minutes", path + ".hold", name);
        }
      }
      Condition condition = condition(n, path, name, CampaignSignals::isKnown, CampaignSignals.ALL);
      return new CampaignRule(
          name, level, members, queries, holdEvaluations, holdMinutes, condition);
    }

    private Rule rule(JsonNode n, String path, long defaultMin) {
      if (n == null || !n.isObject()) {
        throw error(path, "a rule must be a mapping");
      }
      String name = text(n, "name", path, null);
      onlyKeys(
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
      Level level = level(text(n, "level", path, name), path + ".level", name);
      if (level == Level.OK || !level.isAutomatic()) {
        throw ruleError(
            name, path + ".level", "a rule raises WATCH, REVIEW or THROTTLE, not " + level);
      }
      long min = n.has("min_queries") ? nonNegativeLong(n, "min_queries", path, name) : defaultMin;
      int holdEvaluations = 1;
      long holdMinutes = 0;
      JsonNode hold = n.get("hold");
      if (hold != null) {
        onlyKeys(hold, path + ".hold", name, "evaluations", "minutes");
        if (hold.has("evaluations")) {
          holdEvaluations = (int) positiveLong(hold, "evaluations", path + ".hold", name);
        }
        if (hold.has("minutes")) {
          holdMinutes = nonNegativeLong(hold, "minutes", path + ".hold", name);
        }
      }
      Condition condition = condition(n, path, name, Signals::isKnown, Signals.ALL);
      return new Rule(name, level, min, holdEvaluations, holdMinutes, condition);
    }

    private Condition condition(
        JsonNode n,
        String path,
        String rule,
        Predicate<String> known,
        java.util.Collection<String> knownNames) {
      int forms = (n.has("all_of") ? 1 : 0) + (n.has("any_of") ? 1 : 0) + (n.has("signal") ? 1 : 0);
      if (forms != 1) {
        throw ruleError(
            rule, path, "exactly one of all_of, any_of or signal/op/threshold is required");
      }
      if (n.has("signal")) {
        String signal = text(n, "signal", path, rule);
        if (!known.test(signal)) {
          throw ruleError(
              rule,
              path + ".signal",
              "unknown signal '" + signal + "' (known: " + knownNames + ")");
        }
        Comparison op = Comparison.AT_LEAST;
        if (n.has("op")) {
          op = Comparison.ofSymbol(n.get("op").asText());
          if (op == null) {
            throw ruleError(
                rule,
                path + ".op",
                "unknown operator '" + n.get("op").asText() + "' (>=, <=, >, <)");
          }
        }
        if (!n.has("threshold")) {
          throw ruleError(rule, path + ".threshold", "missing threshold for " + signal);
        }
        return new Condition.Threshold(signal, op, number(n, "threshold", path, rule));
      }
      String key = n.has("all_of") ? "all_of" : "any_of";
      JsonNode list = n.get(key);
      String listPath = path + "." + key;
      if (!list.isArray() || list.isEmpty()) {
        throw ruleError(rule, listPath, "must be a non-empty list of conditions");
      }
      List<Condition> members = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        JsonNode c = list.get(i);
        String cPath = listPath + "[" + i + "]";
        if (c == null || !c.isObject()) {
          throw ruleError(rule, cPath, "a condition must be a mapping");
        }
        onlyKeys(c, cPath, rule, "all_of", "any_of", "signal", "op", "threshold");
        members.add(condition(c, cPath, rule, known, knownNames));
      }
      return key.equals("all_of") ? new Condition.AllOf(members) : new Condition.AnyOf(members);
    }

    private void onlyKeys(JsonNode n, String path, String rule, String... allowed) {
      if (n == null || !n.isObject()) {
        throw rule == null
            ? error(path, "must be a mapping")
            : ruleError(rule, path, "must be a mapping");
      }
      Set<String> ok = Set.of(allowed);
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!ok.contains(key)) {
          String msg = "unknown key '" + key + "' (allowed: " + String.join(", ", allowed) + ")";
          throw rule == null
              ? error(path + "." + key, msg)
              : ruleError(rule, path + "." + key, msg);
        }
      }
    }

    private Level level(String value, String path, String rule) {
      try {
        Level level = Level.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        if (!level.isAutomatic()) {
          throw new IllegalArgumentException();
        }
        return level;
      } catch (IllegalArgumentException e) {
        String msg = "bad level '" + value + "' (WATCH, REVIEW or THROTTLE)";
        throw rule == null ? error(path, msg) : ruleError(rule, path, msg);
      }
    }

    private String text(JsonNode n, String key, String path, String rule) {
      JsonNode v = n.get(key);
      if (v == null || !v.isValueNode() || v.asText().isBlank()) {
        String msg = "missing " + key;
        throw rule == null ? error(path + "." + key, msg) : ruleError(rule, path + "." + key, msg);
      }
      return v.asText();
    }

    private double number(JsonNode n, String key, String path, String rule) {
      JsonNode v = n.get(key);
      if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
        String msg =
            v == null ? "missing " + key : key + " must be a number, got '" + v.asText() + "'";
        throw rule == null ? error(path + "." + key, msg) : ruleError(rule, path + "." + key, msg);
      }
      return v.asDouble();
    }

    private long nonNegativeLong(JsonNode n, String key, String path, String rule) {
      JsonNode v = n.get(key);
      if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
        String msg = key + " must be a non-negative integer";
        throw rule == null ? error(path + "." + key, msg) : ruleError(rule, path + "." + key, msg);
      }
      return v.asLong();
    }

    private long positiveLong(JsonNode n, String key, String path, String rule) {
      long v = nonNegativeLong(n, key, path, rule);
      if (v == 0) {
        String msg = key + " must be positive";
        throw rule == null ? error(path + "." + key, msg) : ruleError(rule, path + "." + key, msg);
      }
      return v;
    }

    private double share(JsonNode n, String key, String path) {
      double v = number(n, key, path, null);
      if (v < 0 || v > 1) {
        throw error(path + "." + key, "must be a share in 0..1, got " + v);
      }
      return v;
    }
  }
}
