package io.distillguard.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillguard.policy.Condition.Comparison;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The validating reads that every part of a policy file shares: typed values, allowed keys, levels,
 * holds, release sections and conditions. Every error names the policy's source, the rule (when
 * there is one) and the path in the document.
 */
final class PolicyReader {

  /** A rule's hysteresis: evaluations in a row and minutes of event time before it fires. */
  record Hold(int evaluations, long minutes) {}

  private final String source;

  PolicyReader(String source) {
    this.source = source;
  }

  String source() {
    return source;
  }

  PolicyException error(String path, String message) {
    return new PolicyException("policy " + source + " at " + path + ": " + message);
  }

  PolicyException ruleError(String rule, String path, String message) {
    return new PolicyException(
        "policy " + source + ", rule '" + rule + "' at " + path + ": " + message);
  }

  /** {@code {evaluations, minutes}} under {@code hold}; one evaluation and no minutes if absent. */
  Hold hold(JsonNode rule, String path, String name) {
    int evaluations = 1;
    long minutes = 0;
    JsonNode hold = rule.get("hold");
    if (hold != null) {
      onlyKeys(hold, path + ".hold", name, "evaluations", "minutes");
      if (hold.has("evaluations")) {
        evaluations = (int) positiveLong(hold, "evaluations", path + ".hold", name);
      }
      if (hold.has("minutes")) {
        minutes = nonNegativeLong(hold, "minutes", path + ".hold", name);
      }
    }
    return new Hold(evaluations, minutes);
  }

  /** A {@code release} mapping of level to {@code {after_minutes}}; empty if absent. */
  Map<Level, Duration> release(JsonNode parent, String path) {
    Map<Level, Duration> release = new EnumMap<>(Level.class);
    JsonNode rel = parent.get("release");
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
    return release;
  }

  Condition condition(
      JsonNode n,
      String path,
      String rule,
      Predicate<String> known,
      Collection<String> knownNames) {
    int forms = (n.has("all_of") ? 1 : 0) + (n.has("any_of") ? 1 : 0) + (n.has("signal") ? 1 : 0);
    if (forms != 1) {
      throw ruleError(
          rule, path, "exactly one of all_of, any_of or signal/op/threshold is required");
    }
    if (n.has("signal")) {
      String signal = text(n, "signal", path, rule);
      if (!known.test(signal)) {
        throw ruleError(
            rule, path + ".signal", "unknown signal '" + signal + "' (known: " + knownNames + ")");
      }
      Comparison op = Comparison.AT_LEAST;
      if (n.has("op")) {
        op = Comparison.ofSymbol(n.get("op").asText());
        if (op == null) {
          throw ruleError(
              rule, path + ".op", "unknown operator '" + n.get("op").asText() + "' (>=, <=, >, <)");
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

  void onlyKeys(JsonNode n, String path, String rule, String... allowed) {
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
        throw rule == null ? error(path + "." + key, msg) : ruleError(rule, path + "." + key, msg);
      }
    }
  }

  Level level(String value, String path, String rule) {
    try {
      Level level = Level.valueOf(value.trim().toUpperCase(Locale.ROOT));
      if (!level.isAutomatic()) {
        throw new IllegalArgumentException();
      }
      return level;
    } catch (IllegalArgumentException e) {
      String msg = "bad level '" + value + "' (WATCH, REVIEW or THROTTLE)";
      throw rule == null ? error(path, msg) : ruleError(rule, path, msg);
    }
  }

  String text(JsonNode n, String key, String path, String rule) {
    JsonNode v = n.get(key);
    if (v == null || !v.isValueNode() || v.asText().isBlank()) {
      String msg = "missing " + key;
      throw rule == null ? error(path + "." + key, msg) : ruleError(rule, path + "." + key, msg);
    }
    return v.asText();
  }

  double number(JsonNode n, String key, String path, String rule) {
    JsonNode v = n.get(key);
    if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
      String msg =
          v == null ? "missing " + key : key + " must be a number, got '" + v.asText() + "'";
      throw rule == null ? error(path + "." + key, msg) : ruleError(rule, path + "." + key, msg);
    }
    return v.asDouble();
  }

  long nonNegativeLong(JsonNode n, String key, String path, String rule) {
    JsonNode v = n.get(key);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
      String msg = key + " must be a non-negative integer";
      throw rule == null ? error(path + "." + key, msg) : ruleError(rule, path + "." + key, msg);
    }
    return v.asLong();
  }

  long positiveLong(JsonNode n, String key, String path, String rule) {
    long v = nonNegativeLong(n, key, path, rule);
    if (v == 0) {
      String msg = key + " must be positive";
      throw rule == null ? error(path + "." + key, msg) : ruleError(rule, path + "." + key, msg);
    }
    return v;
  }

  double share(JsonNode n, String key, String path) {
    double v = number(n, key, path, null);
    if (v < 0 || v > 1) {
      throw error(path + "." + key, "must be a share in 0..1, got " + v);
    }
    return v;
  }
}
