package io.distillguard.bench.detection;

import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.policy.Policy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detection benchmark, one command: builds labelled traffic from the real prompt datasets (a
 * tune and a report split with different seeds and disjoint prompts), probes it for label leaks,
 * replays the scored split through {@code ./distillguard replay} with a verifying webhook receiver,
 * scores what arrived against the labels, runs the PRADA and windowed-MMD baselines on the same
 * traffic (thresholds calibrated on the tune split) and writes a markdown report.
 *
 * <p>Options: {@code --split report|tune} (which split is scored, default report), {@code --scale
 * X} (accounts per kind, default 1.0: ~74k events per split), {@code --tune-scale X} (of the tune
 * split the baselines are calibrated on, default the scale), {@code --tune-seed N}, {@code
 * --report-seed N}, {@code --datasets DIR} (else {@code DISTILLGUARD_DATASETS}, else
 * ../shared/datasets), {@code --work DIR} (default bench/target/detection), {@code --out FILE}
 * (default bench/results/detection.md), {@code --launcher FILE} (default ./distillguard), {@code
 * --policy FILE} (passed to replay), {@code --skip-pipeline}, {@code --skip-baselines}, {@code
 * --replay-timeout-min N} (default 60), {@code --prepare} (only embed and cache: see {@link
 * #prepare}).
 */
public final class DetectionBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(DetectionBenchmark.class);

  /** Targets of the detection issue. */
  static final double TARGET_FPR = 0.005;

  static final double TARGET_HARD_FPR = 0.02;
  static final double TARGET_DETECTION = 0.99;

  private DetectionBenchmark() {}

  public static void main(String[] args) throws Exception {
    DetectionOptions.Options o = DetectionOptions.Options.parse(args);
    long t0 = System.nanoTime();
    PromptPool tunePool = PromptPool.load(o.datasets(), PromptPool.Split.TUNE);
    PromptPool reportPool = PromptPool.load(o.datasets(), PromptPool.Split.REPORT);
    TrafficBuilder.Traffic tune = TrafficBuilder.build(tunePool, o.tuneScale(), o.tuneSeed());
    TrafficBuilder.Traffic report = TrafficBuilder.build(reportPool, o.scale(), o.reportSeed());
    TrafficBuilder.Traffic scored = o.split() == PromptPool.Split.TUNE ? tune : report;
    long scoredSeed = o.split() == PromptPool.Split.TUNE ? o.tuneSeed() : o.reportSeed();
    LOG.info(
        "Traffic: tune {} events / {} accounts, report {} events / {} accounts",
        tune.events().size(),
        tune.labels().size(),
        report.events().size(),
        report.labels().size());
    Path splitDir = o.work().resolve(o.split().name().toLowerCase(Locale.ROOT));
    TrafficBuilder.Files files;
    if (o.precomputedEmbeddings()) {
      // The events carry the baselines' vectors (same model, same token cap), so the pipeline
      // skips its own embedding step and both sides see identical vectors.
      float[][] vectors =
          BaselineEmbeddings.embed(
              scored.events().stream().map(io.distillguard.contract.QueryEvent::prompt).toList(),
              o.work().resolve("embeddings"),
              EmbedderSettings.DEFAULT);
      List<io.distillguard.contract.QueryEvent> withVectors = new ArrayList<>();
      for (int i = 0; i < vectors.length; i++) {
        io.distillguard.contract.QueryEvent e = scored.events().get(i);
        withVectors.add(e.withEmbedding(vectors[i]));
      }
      files =
          new TrafficBuilder.Traffic(scored.profiles(), withVectors, scored.labels())
              .write(splitDir);
    } else {
      Path events = splitDir.resolve("events.jsonl");
      files =
          o.rulesLevel() && Files.isRegularFile(events)
              // The prepared split (same seed and scale: same events) keeps its cached
              // observations.
              ? new TrafficBuilder.Files(
                  splitDir.resolve("profiles.jsonl"), events, splitDir.resolve("labels.jsonl"))
              : scored.write(splitDir);
    }

    if (o.writeOnly()) {
      LOG.info("Wrote {} (--write-only)", splitDir);
      return;
    }
    if (o.prepare()) {
      prepare(o, tune, scored, splitDir);
      return;
    }

    List<LeakProbe.Result> leaks =
        LeakProbe.run(tune, report, LeakProbe.contentPhrases(tunePool, reportPool));
    List<String> timings = new ArrayList<>();
    timings.add(String.format(Locale.ROOT, "traffic + leak probe: %.0f s", secondsSince(t0)));

    List<DetectionScorer.Score> pipelineScores = new ArrayList<>();
    String pipelineNote;
    if (o.rulesLevel()) {
      long t1 = System.nanoTime();
      Policy policy = o.policy() == null ? Policy.loadDefault() : Policy.load(o.policy());
      RulesLevelRun.FirstFlags flags = RulesLevelRun.run(splitDir, policy);
      pipelineScores.add(
          DetectionScorer.score("DistillGuard (REVIEW+)", scored.labels(), flags.review()));
      pipelineScores.add(
          DetectionScorer.score("DistillGuard (WATCH+)", scored.labels(), flags.watch()));
      pipelineNote =
          "rules level (--rules-level): AccountDetector under policy `"
              + policy.version()
              + "` over the split's cached payload observations (SplitObservations), one thread;"
              + " no replay";
      timings.add(String.format(Locale.ROOT, "rules-level scoring: %.0f s", secondsSince(t1)));
    } else if (o.skipPipeline()) {
      pipelineNote = "pipeline not run (--skip-pipeline)";
    } else {
      long t1 = System.nanoTime();
      pipelineNote = PipelineRun.run(o, files, splitDir, scored, pipelineScores);
      timings.add(
          String.format(
              Locale.ROOT,
              "./distillguard replay of %d events: %.0f s (%.0f events/s)",
              scored.events().size(),
              secondsSince(t1),
              scored.events().size() / secondsSince(t1)));
    }

    List<BaselineRuns.BaselineRun> baselines = new ArrayList<>();
    if (!o.skipBaselines()) {
      long t2 = System.nanoTime();
      baselines = BaselineRuns.run(o, tune, scored);
      timings.add(
          String.format(
              Locale.ROOT, "baselines (embedding + detectors): %.0f s", secondsSince(t2)));
    }

    String md =
        DetectionReport.render(
            o.split().name().toLowerCase(Locale.ROOT),
            scoredSeed,
            o,
            tune,
            report,
            scored,
            leaks,
            pipelineScores,
            pipelineNote,
            baselines,
            timings);
    Files.createDirectories(o.out().toAbsolutePath().getParent());
    Files.writeString(o.out(), md, StandardCharsets.UTF_8);
    LOG.info("Wrote {}", o.out());
    boolean leaked =
        leaks.stream()
            .filter(r -> !r.feature().contains("informational"))
            .anyMatch(LeakProbe.Result::leaks);
    if (leaked) {
      LOG.error("A single superficial feature separates the labels; see {}", o.out());
      System.exit(3);
    }
  }

  /**
   * The slow part of a run, done once and cached: the baselines' whole-prompt vectors of the tune
   * and the scored split (not with {@code --skip-baselines}), then the payload observations of the
   * scored split (the vectors of prompts that are their own payload are taken from the first step
   * instead of embedded again). The tune split's own observations are PolicyHarness's business, not
   * a scored run's.
   */
  private static void prepare(
      DetectionOptions.Options o,
      TrafficBuilder.Traffic tune,
      TrafficBuilder.Traffic scored,
      Path splitDir)
      throws IOException {
    Path cache = o.work().resolve("embeddings");
    if (!o.skipBaselines() && scored != tune) {
      BaselineEmbeddings.embed(
          tune.events().stream().map(QueryEvent::prompt).toList(), cache, EmbedderSettings.DEFAULT);
    }
    Map<String, float[]> known = new HashMap<>();
    if (!o.skipBaselines()) {
      List<String> prompts = scored.events().stream().map(QueryEvent::prompt).toList();
      float[][] vectors = BaselineEmbeddings.embed(prompts, cache, EmbedderSettings.DEFAULT);
      for (int i = 0; i < vectors.length; i++) {
        known.put(prompts.get(i), vectors[i]);
      }
    }
    long t0 = System.nanoTime();
    int n = SplitObservations.read(splitDir, known).observations().size();
    LOG.info("Observations of {}: {} in {} s", splitDir, n, Math.round(secondsSince(t0)));
  }

  static double secondsSince(long nanos) {
    return Math.max(1e-3, (System.nanoTime() - nanos) / 1e9);
  }
}
