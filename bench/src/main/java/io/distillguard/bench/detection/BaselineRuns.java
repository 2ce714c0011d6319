package io.distillguard.bench.detection;

import io.distillguard.embedding.EmbedderSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The baselines of the detection benchmark on the scored split, each threshold calibrated on the
 * tune split: PRADA, windowed MMD (100-query windows) and MMD in its published setting (1,500-query
 * windows).
 */
final class BaselineRuns {

  private BaselineRuns() {}

  /** One baseline's operating points on the scored split. */
  record BaselineRun(String name, List<DetectionScorer.Score> scores, List<String> notes) {}

  static List<BaselineRuns.BaselineRun> run(
      DetectionOptions.Options o, TrafficBuilder.Traffic tune, TrafficBuilder.Traffic scored) {
    EmbedderSettings settings = EmbedderSettings.DEFAULT;
    Path cache = o.work().resolve("embeddings");
    Map<String, List<float[]>> tuneVectors =
        BaselineEmbeddings.perAccount(tune.events(), cache, settings);
    Map<String, List<float[]>> scoredVectors =
        scored == tune
            ? tuneVectors
            : BaselineEmbeddings.perAccount(scored.events(), cache, settings);
    Map<String, Boolean> tuneCampaign = new HashMap<>();
    tune.labels().forEach(l -> tuneCampaign.put(l.accountId(), l.campaign()));

    List<BaselineRuns.BaselineRun> runs = new ArrayList<>();
    runs.add(
        calibrated(
            "PRADA (Shapiro-Wilk W of min distances)",
            PradaDetector.run(tuneVectors),
            PradaDetector.run(scoredVectors),
            tuneCampaign,
            scored,
            s -> String.format(Locale.ROOT, "W < %.4f", 1 - s)));

    List<float[]> benign = new ArrayList<>();
    tune.labels().stream()
        .filter(l -> !l.campaign())
        .forEach(l -> benign.addAll(tuneVectors.getOrDefault(l.accountId(), List.of())));
    MmdDetector mmd = new MmdDetector(benign, 300, 100, 50, o.tuneSeed());
    runs.add(
        calibrated(
            "MMD vs benign reference (100-query windows)",
            mmd.run(tuneVectors),
            mmd.run(scoredVectors),
            tuneCampaign,
            scored,
            s -> String.format(Locale.ROOT, "MMD^2 > %.4f", s)));
    // The published setting: full 1,500-query windows only, so an account with fewer queries is
    // never evaluated (and never flagged).
    MmdDetector published = new MmdDetector(benign, 300, 1500, 1500, o.tuneSeed());
    runs.add(
        calibrated(
            "MMD, published setting (1,500-query windows)",
            published.run(tuneVectors),
            published.run(scoredVectors),
            tuneCampaign,
            scored,
            s -> String.format(Locale.ROOT, "MMD^2 > %.4f", s)));
    return runs;
  }

  private static BaselineRun calibrated(
      String name,
      List<Trajectory> tuneTrajectories,
      List<Trajectory> scoredTrajectories,
      Map<String, Boolean> tuneCampaign,
      TrafficBuilder.Traffic scored,
      java.util.function.DoubleFunction<String> rule) {
    List<Double> legit = new ArrayList<>();
    List<double[]> all = new ArrayList<>();
    for (Trajectory t : tuneTrajectories) {
      boolean campaign = tuneCampaign.getOrDefault(t.accountId(), false);
      double m = t.max();
      if (!campaign) {
        legit.add(m);
      }
      all.add(new double[] {m, campaign ? 1 : 0});
    }
    legit.sort(Comparator.reverseOrder());
    int allowed = (int) Math.floor(DetectionBenchmark.TARGET_FPR * legit.size());
    double atTarget = legit.isEmpty() ? 0 : legit.get(Math.min(allowed, legit.size() - 1));
    double[] scores = all.stream().mapToDouble(a -> a[0]).toArray();
    boolean[] y = new boolean[all.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = all.get(i)[1] > 0;
    }
    double best = atTarget;
    double bestBa = 0;
    for (double c : scores) {
      double ba = Metrics.balancedAccuracy(scores, y, Math.nextUp(c), true);
      if (ba > bestBa) {
        bestBa = ba;
        best = c;
      }
    }
    List<DetectionScorer.Score> s = new ArrayList<>();
    s.add(
        DetectionScorer.score(
            name + " @ tune FPR <= 0.5%",
            scored.labels(),
            DetectionScorer.flaggedAt(scoredTrajectories, atTarget)));
    s.add(
        DetectionScorer.score(
            name + " @ best tune balanced accuracy",
            scored.labels(),
            DetectionScorer.flaggedAt(scoredTrajectories, best)));
    return new BaselineRuns.BaselineRun(
        name,
        s,
        List.of(
            "FPR <= 0.5% on tune: flag when " + rule.apply(atTarget),
            String.format(
                Locale.ROOT,
                "best balanced accuracy on tune (%.3f): flag when %s",
                bestBa,
                rule.apply(best))));
  }
}
