package io.distillguard.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.distillguard.campaign.CampaignPolicy;
import io.distillguard.signals.EventTimeSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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
  private final Set<String> ruleNames;
  private final Map<Level, Duration> releaseAfter;
  private final ThrottleSettings throttle;
  private final RearmSettings rearm;
  private final EvidenceWeights evidence;
  private final EventTimeSettings eventTime;
  private final CampaignPolicy campaigns;

  Policy(
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
    this.ruleNames = rules.stream().map(Rule::name).collect(Collectors.toUnmodifiableSet());
    this.releaseAfter = Map.copyOf(releaseAfter);
    this.throttle = throttle;
    this.rearm = rearm;
  }

  /** The shipped default policy. */
  public static Policy loadDefault() {
    return parse(defaultText(), DEFAULT_RESOURCE);
  }

  /** The shipped default policy's text (what to start an operator's own policy from). */
  public static String defaultText() {
    try (InputStream in = Policy.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new PolicyException("classpath resource " + DEFAULT_RESOURCE + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
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
    return new PolicyParser(new PolicyReader(source)).policy(root);
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

  /** The names of {@link #rules()}. */
  public Set<String> ruleNames() {
    return ruleNames;
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
}
