package io.distillguard.bench.detection;

import io.distillguard.observe.AccountObservation;
import io.distillguard.signals.AccountSignals;
import io.distillguard.signals.QueryFeatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Estimates the per-query weights of the sequential evidence score ({@code evidence} in the policy
 * file) on a labelled split, and shows what thresholds on the score would do on that split. Run it
 * on the TUNE split only: the report split and unseen seeds are for scoring.
 *
 * <p>Each account's queries are folded into fresh {@link AccountSignals} in event order to get
 * every query's {@link QueryFeatures} mask. P(mask | class) is the mean over the class's accounts
 * of the mask's share of the account's queries (every account weighs the same, whatever its
 * volume); a weight is {@code ln((P(mask | campaign) + eps) / (P(mask | legit) + eps))}, clipped to
 * +-4.
 *
 * <p>Usage: {@code EvidenceCalibration SPLIT_DIR[,EXTENSION_DIR...] OUT.yaml [DRIFT [T1,T2,...]]}:
 * writes the policy's {@code evidence} section (log-likelihood ratios; the policy subtracts DRIFT
 * from each) and prints per kind how often each feature occurs and the mean weight per query, and,
 * with the drift applied, for candidate thresholds (1.1 and 1.5 times the highest legitimate
 * maximum, and any given), the legitimate accounts above each and the campaign accounts crossing it
 * with the median query of the first crossing.
 */
public final class EvidenceCalibration {

  private static final Logger LOG = LoggerFactory.getLogger(EvidenceCalibration.class);

  static final double EPS = 0.002;
  static final double CLIP = 4.0;

  private EvidenceCalibration() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Path out = Path.of(args[1]);
    SplitObservations split = SplitObservations.readAll(args[0]);
    Map<String, List<Integer>> masks = masksPerAccount(split);
    double[] weights = weights(masks, split.labels());
    StringBuilder yaml = new StringBuilder();
    yaml.append("evidence:\n")
        .append("  calibration: \"EvidenceCalibration on ")
        .append(dir)
        .append(" (")
        .append(masks.size())
        .append(" accounts)\"\n")
        .append("  default_weight: 0.0\n  weights:\n");
    for (int m = 0; m < weights.length; m++) {
      yaml.append(
          String.format(Locale.ROOT, "    \"%s\": %.2f%n", QueryFeatures.name(m), weights[m]));
    }
    Files.writeString(out, yaml, StandardCharsets.UTF_8);
    LOG.info("Evidence weights for the policy file:\n{}", yaml);
    featureRates(masks, split.labels());
    double drift = args.length > 2 ? Double.parseDouble(args[2]) : 0.0;
    double[] shifted = weights.clone();
    for (int m = 0; m < shifted.length; m++) {
      shifted[m] -= drift;
    }
    LOG.info(String.format(Locale.ROOT, "With a drift of %.2f per query:", drift));
    List<Double> thresholds = new ArrayList<>();
    if (args.length > 3) {
      for (String t : args[3].split(",")) {
        thresholds.add(Double.parseDouble(t));
      }
    }
    report(masks, split.labels(), shifted, thresholds);
  }

  /** Per kind, the mean over accounts of each feature's share of the account's queries. */
  private static void featureRates(
      Map<String, List<Integer>> masks, Map<String, AccountLabel> labels) {
    Map<AccountKind, double[]> sums = new EnumMap<>(AccountKind.class);
    Map<AccountKind, Integer> counts = new EnumMap<>(AccountKind.class);
    masks.forEach(
        (id, ms) -> {
          AccountKind kind = labels.get(id).kind();
          double[] sum = sums.computeIfAbsent(kind, k -> new double[QueryFeatures.COUNT]);
          counts.merge(kind, 1, Integer::sum);
          for (int m : ms) {
            for (int b = 0; b < QueryFeatures.COUNT; b++) {
              if ((m & (1 << b)) != 0) {
                sum[b] += 1.0 / ms.size();
              }
            }
          }
        });
    LOG.info("Feature rates per kind: {}", QueryFeatures.NAMES);
    sums.forEach(
        (kind, sum) -> {
          StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-24s", kind));
          for (double v : sum) {
            row.append(String.format(Locale.ROOT, " %.2f", v / counts.get(kind)));
          }
          LOG.info("{}", row);
        });
  }

  static Map<String, List<Integer>> masksPerAccount(SplitObservations split) {
    Map<String, AccountSignals> signals = new LinkedHashMap<>();
    Map<String, List<Integer>> masks = new LinkedHashMap<>();
    for (AccountObservation o : split.observations()) {
      AccountSignals s =
          signals.computeIfAbsent(o.accountId(), k -> AccountSignals.create(split.categories()));
      masks.computeIfAbsent(o.accountId(), k -> new ArrayList<>()).add(s.record(o));
    }
    return masks;
  }

  static double[] weights(Map<String, List<Integer>> masks, Map<String, AccountLabel> labels) {
    int n = 1 << QueryFeatures.COUNT;
    double[] campaign = new double[n];
    double[] legit = new double[n];
    int campaigns = 0;
    int legits = 0;
    for (Map.Entry<String, List<Integer>> e : masks.entrySet()) {
      AccountLabel l = labels.get(e.getKey());
      double[] target = l.campaign() ? campaign : legit;
      for (int m : e.getValue()) {
        target[m] += 1.0 / e.getValue().size();
      }
      if (l.campaign()) {
        campaigns++;
      } else {
        legits++;
      }
    }
    double[] w = new double[n];
    for (int m = 0; m < n; m++) {
      double pc = campaign[m] / Math.max(1, campaigns);
      double pl = legit[m] / Math.max(1, legits);
      w[m] = Math.max(-CLIP, Math.min(CLIP, Math.log((pc + EPS) / (pl + EPS))));
      w[m] = Math.round(w[m] * 100) / 100.0;
    }
    return w;
  }

  private static void meanWeights(
      Map<String, List<Integer>> masks, Map<String, AccountLabel> labels, double[] w) {
    Map<AccountKind, List<Double>> means = new EnumMap<>(AccountKind.class);
    masks.forEach(
        (id, ms) -> {
          double sum = 0;
          for (int m : ms) {
            sum += w[m];
          }
          means.computeIfAbsent(labels.get(id).kind(), k -> new ArrayList<>()).add(sum / ms.size());
        });
    LOG.info("Mean weight per query, per kind (min / median / max over accounts):");
    means.forEach(
        (kind, v) -> {
          List<Double> sorted = v.stream().sorted().toList();
          LOG.info(
              String.format(
                  Locale.ROOT,
                  "  %-24s %.2f / %.2f / %.2f",
                  kind,
                  sorted.get(0),
                  sorted.get(sorted.size() / 2),
                  sorted.get(sorted.size() - 1)));
        });
  }

  private static void report(
      Map<String, List<Integer>> masks,
      Map<String, AccountLabel> labels,
      double[] w,
      List<Double> extraThresholds) {
    meanWeights(masks, labels, w);
    Map<String, double[]> runs = new LinkedHashMap<>(); // account -> {max score}
    Map<String, double[]> paths = new LinkedHashMap<>();
    masks.forEach(
        (id, ms) -> {
          double s = 0;
          double max = 0;
          double[] path = new double[ms.size()];
          for (int i = 0; i < ms.size(); i++) {
            s = Math.max(0, s + w[ms.get(i)]);
            max = Math.max(max, s);
            path[i] = s;
          }
          runs.put(id, new double[] {max});
          paths.put(id, path);
        });
    List<Map.Entry<String, double[]>> legit = new ArrayList<>();
    runs.entrySet().stream().filter(e -> !labels.get(e.getKey()).campaign()).forEach(legit::add);
    legit.sort(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -e.getValue()[0]));
    LOG.info("Highest legitimate maxima:");
    legit.stream()
        .limit(8)
        .forEach(
            e ->
                LOG.info(
                    String.format(
                        Locale.ROOT,
                        "  %.2f %s (%d queries)",
                        e.getValue()[0],
                        labels.get(e.getKey()).kind(),
                        masks.get(e.getKey()).size())));
    double top = legit.isEmpty() ? 0 : legit.get(0).getValue()[0];
    List<Double> thresholds = new ArrayList<>(List.of(top * 1.1, top * 1.5));
    thresholds.addAll(extraThresholds);
    for (double h : thresholds) {
      LOG.info(String.format(Locale.ROOT, "Threshold %.2f:", h));
      Map<AccountKind, List<Integer>> crossings = new EnumMap<>(AccountKind.class);
      Map<AccountKind, Integer> totals = new EnumMap<>(AccountKind.class);
      paths.forEach(
          (id, path) -> {
            AccountKind kind = labels.get(id).kind();
            totals.merge(kind, 1, Integer::sum);
            for (int i = 0; i < path.length; i++) {
              if (path[i] >= h) {
                crossings.computeIfAbsent(kind, k -> new ArrayList<>()).add(i + 1);
                break;
              }
            }
          });
      totals.forEach(
          (kind, total) -> {
            List<Integer> c = crossings.getOrDefault(kind, List.of());
            List<Integer> sorted = c.stream().sorted().toList();
            LOG.info(
                String.format(
                    Locale.ROOT,
                    "  %-24s %3d/%-3d median first crossing %s",
                    kind,
                    c.size(),
                    total,
                    sorted.isEmpty() ? "-" : sorted.get(sorted.size() / 2)));
          });
    }
  }
}
