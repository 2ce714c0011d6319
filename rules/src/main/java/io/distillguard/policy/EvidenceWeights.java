package io.distillguard.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillguard.signals.QueryFeatures;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The per-query weights of evidence behind {@code evidence_score}: for every combination of {@link
 * QueryFeatures} a query can show, the log-likelihood ratio log(P(combination | campaign) /
 * P(combination | legitimate)), estimated on a labelled calibration set. The score adds the weight
 * of each query's combination and never falls below 0 (a CUSUM), so a run of campaign-like queries
 * crosses a threshold after a number of queries set by how strong they are, not by a constant,
 * while ordinary traffic keeps draining it.
 *
 * <p>Policy file shape:
 *
 * <pre>
 * evidence:
 *   calibration: "what it was estimated on"   # required, shown with the policy
 *   default_weight: -0.5                        # combinations not listed
 *   weights:                                    # feature names joined by '+', or "none"
 *     "off_stated_use+unexpected_category+new_cell": 2.1
 *     none: -0.6
 * </pre>
 *
 * @param calibration what the weights were estimated on (provenance, free text)
 */
public record EvidenceWeights(double[] byMask, String calibration) {

  /** Weights of zero: the score stays at 0 (a policy without an evidence section). */
  public static final EvidenceWeights NONE =
      new EvidenceWeights(new double[1 << QueryFeatures.COUNT], "none");

  public EvidenceWeights {
    if (byMask.length != 1 << QueryFeatures.COUNT) {
      throw new IllegalArgumentException("one weight per feature combination is required");
    }
    byMask = byMask.clone();
  }

  /** The weight of a query showing the features in {@code mask}. */
  public double weight(int mask) {
    return byMask[mask & (byMask.length - 1)];
  }

  /** Reads the {@code evidence} section; errors are reported against {@code path}. */
  static EvidenceWeights parse(JsonNode n, String path, String source) {
    if (n == null || !n.isObject()) {
      throw new PolicyException("policy " + source + " at " + path + ": must be a mapping");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!key.equals("calibration") && !key.equals("default_weight") && !key.equals("weights")) {
        throw new PolicyException("policy " + source + " at " + path + "." + key + ": unknown key");
      }
    }
    JsonNode cal = n.get("calibration");
    if (cal == null || !cal.isValueNode() || cal.asText().isBlank()) {
      throw new PolicyException("policy " + source + " at " + path + ".calibration: missing");
    }
    JsonNode def = n.get("default_weight");
    double fallback = 0.0;
    if (def != null) {
      if (!def.isNumber() || !Double.isFinite(def.asDouble())) {
        throw new PolicyException(
            "policy " + source + " at " + path + ".default_weight: must be a number");
      }
      fallback = def.asDouble();
    }
    double[] w = new double[1 << QueryFeatures.COUNT];
    Arrays.fill(w, fallback);
    JsonNode weights = n.get("weights");
    if (weights == null || !weights.isObject()) {
      throw new PolicyException(
          "policy " + source + " at " + path + ".weights: a mapping of combination to weight");
    }
    for (Iterator<String> it = weights.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      String at = "policy " + source + " at " + path + ".weights." + key + ": ";
      int mask;
      try {
        mask = QueryFeatures.parse(key);
      } catch (IllegalArgumentException e) {
        throw new PolicyException(at + e.getMessage());
      }
      JsonNode v = weights.get(key);
      if (!v.isNumber() || !Double.isFinite(v.asDouble()) || Math.abs(v.asDouble()) > 20) {
        throw new PolicyException(at + "must be a number in -20..20");
      }
      w[mask] = v.asDouble();
    }
    return new EvidenceWeights(w, cal.asText());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EvidenceWeights e
        && Arrays.equals(byMask, e.byMask)
        && calibration.equals(e.calibration);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(byMask) + calibration.hashCode();
  }

  @Override
  public String toString() {
    return "EvidenceWeights[" + calibration + "]";
  }
}
