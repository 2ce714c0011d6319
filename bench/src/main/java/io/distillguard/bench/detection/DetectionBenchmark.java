package io.distillguard.bench.detection;

import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.bench.Datasets;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.policy.Policy;
import io.distillguard.contract.QueryEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

  private record Options(
      PromptPool.Split split,
      double scale,
      double tuneScale,
      long tuneSeed,
      long reportSeed,
      Path datasets,
      Path work,
      Path out,
      Path launcher,
      Path policy,
      boolean skipPipeline,
      boolean skipBaselines,
      boolean precomputedEmbeddings,
      boolean prepare,
      long replayTimeoutMinutes) {

    static Options parse(String[] args) {
      Map<String, String> m = new HashMap<>();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--skip-pipeline")
            || a.equals("--skip-baselines")
            || a.equals("--precomputed-embeddings")
            || a.equals("--prepare")) {
          m.put(a, "true");
        } else if (a.startsWith("--") && i + 1 < args.length) {
          m.put(a, args[++i]);
        } else {
          throw new IllegalArgumentException("unknown argument " + a);
        }
      }
      return new Options(
          PromptPool.Split.valueOf(m.getOrDefault("--split", "report").toUpperCase(Locale.ROOT)),
          Double.parseDouble(m.getOrDefault("--scale", "1.0")),
          Double.parseDouble(m.getOrDefault("--tune-scale", m.getOrDefault("--scale", "1.0"))),
          Long.parseLong(m.getOrDefault("--tune-seed", "1001")),
          Long.parseLong(m.getOrDefault("--report-seed", "2002")),
          Datasets.locate(m.get("--datasets")),
          Path.of(m.getOrDefault("--work", "bench/target/detection")),
          Path.of(m.getOrDefault("--out", "bench/results/detection.md")),
          Path.of(m.getOrDefault("--launcher", "./distillguard")),
          m.containsKey("--policy") ? Path.of(m.get("--policy")) : null,
          m.containsKey("--skip-pipeline"),
          m.containsKey("--skip-baselines"),
          m.containsKey("--precomputed-embeddings"),
          m.containsKey("--prepare"),
          Long.parseLong(m.getOrDefault("--replay-timeout-min", "60")));
    }
  }

  /** One baseline's operating points on the scored split. */
  private record BaselineRun(String name, List<DetectionScorer.Score> scores, List<String> notes) {}

  private DetectionBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
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
        withVectors.add(
            new io.distillguard.contract.QueryEvent(
                e.eventId(),
                e.accountId(),
                e.timestamp(),
                e.prompt(),
                vectors[i],
                e.apiKeyId(),
                e.model(),
                e.promptTokens(),
                e.completionTokens(),
                e.responseEntropy(),
                e.client()));
      }
      files =
          new TrafficBuilder.Traffic(scored.profiles(), withVectors, scored.labels())
              .write(splitDir);
    } else {
      files = scored.write(splitDir);
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
    if (o.skipPipeline()) {
      pipelineNote = "pipeline not run (--skip-pipeline)";
    } else {
      long t1 = System.nanoTime();
      pipelineNote = runPipeline(o, files, splitDir, scored, pipelineScores);
      timings.add(
          String.format(
              Locale.ROOT,
              "./distillguard replay of %d events: %.0f s (%.0f events/s)",
              scored.events().size(),
              secondsSince(t1),
              scored.events().size() / secondsSince(t1)));
    }

    List<BaselineRun> baselines = new ArrayList<>();
    if (!o.skipBaselines()) {
      long t2 = System.nanoTime();
      baselines = runBaselines(o, tune, scored);
      timings.add(
          String.format(
              Locale.ROOT, "baselines (embedding + detectors): %.0f s", secondsSince(t2)));
    }

    String md =
        Report.render(
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
   * and the scored split, then the payload observations of both splits (the vectors of prompts that
   * are their own payload are taken from the first step instead of embedded again).
   */
  private static void prepare(
      Options o, TrafficBuilder.Traffic tune, TrafficBuilder.Traffic scored, Path splitDir)
      throws IOException {
    Path cache = o.work().resolve("embeddings");
    Path tuneDir = o.work().resolve("tune");
    if (scored != tune && !Files.isRegularFile(tuneDir.resolve("events.jsonl"))) {
      tune.write(tuneDir);
    }
    for (TrafficBuilder.Traffic t : scored == tune ? List.of(tune) : List.of(tune, scored)) {
      List<String> prompts = t.events().stream().map(QueryEvent::prompt).toList();
      float[][] vectors = BaselineEmbeddings.embed(prompts, cache, EmbedderSettings.DEFAULT);
      Map<String, float[]> known = new HashMap<>();
      for (int i = 0; i < vectors.length; i++) {
        known.put(prompts.get(i), vectors[i]);
      }
      Path dir = t == scored ? splitDir : tuneDir;
      long t0 = System.nanoTime();
      int n = SplitObservations.read(dir, known).observations().size();
      LOG.info("Observations of {}: {} in {} s", dir, n, Math.round(secondsSince(t0)));
    }
  }

  private static String runPipeline(
      Options o,
      TrafficBuilder.Files files,
      Path splitDir,
      TrafficBuilder.Traffic scored,
      List<DetectionScorer.Score> out)
      throws IOException, InterruptedException {
    byte[] key = new byte[24];
    new SecureRandom().nextBytes(key);
    String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
    Path dataDir = splitDir.resolve("data");
    deleteTree(dataDir);
    try (WebhookReceiver receiver = WebhookReceiver.start(secret)) {
      List<String> cmd = new ArrayList<>();
      cmd.add(o.launcher().toString());
      cmd.addAll(
          List.of(
              "replay",
              "--profiles",
              files.profiles().toString(),
              "--events",
              files.events().toString(),
              "--webhook-url",
              receiver.reviewUrl(),
              "--webhook-secret",
              secret,
              "--throttle-url",
              receiver.throttleUrl(),
              "--data-dir",
              dataDir.toString()));
      if (o.policy() != null) {
        cmd.add("--policy");
        cmd.add(o.policy().toString());
      }
      Path log = splitDir.resolve("replay.log");
      LOG.info(
          "Running ./distillguard replay over {} events (log: {})", scored.events().size(), log);
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(o.replayTimeoutMinutes(), TimeUnit.MINUTES)) {
        p.destroy();
        p.waitFor(30, TimeUnit.SECONDS);
        p.destroyForcibly();
        return "replay did not finish within "
            + o.replayTimeoutMinutes()
            + " min (see "
            + log
            + ")";
      }
      int rc = p.exitValue();
      List<WebhookReceiver.Received> deliveries = receiver.received();
      Map<String, Long> review = new HashMap<>();
      Map<String, Long> watch = new HashMap<>();
      Map<String, Integer> levels = new HashMap<>();
      for (WebhookReceiver.Received d : deliveries) {
        String account = d.accountId();
        String level = d.level();
        if (account == null || level == null) {
          continue;
        }
        levels.merge(d.type() + ":" + level, 1, Integer::sum);
        long q = d.queriesObserved();
        if (q < 0) {
          continue;
        }
        if (level.equals("REVIEW") || level.equals("THROTTLE")) {
          review.merge(account, q, Math::min);
        }
        if (level.equals("WATCH") || level.equals("REVIEW") || level.equals("THROTTLE")) {
          watch.merge(account, q, Math::min);
        }
      }
      out.add(DetectionScorer.score("DistillGuard (REVIEW+)", scored.labels(), review));
      out.add(DetectionScorer.score("DistillGuard (WATCH+)", scored.labels(), watch));
      return String.format(
          Locale.ROOT,
          "replay exit code %d; %d verified webhooks (%s), %d rejected signatures",
          rc,
          deliveries.size(),
          levels,
          receiver.rejected());
    }
  }

  private static List<BaselineRun> runBaselines(
      Options o, TrafficBuilder.Traffic tune, TrafficBuilder.Traffic scored) {
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

    List<BaselineRun> runs = new ArrayList<>();
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
    int allowed = (int) Math.floor(TARGET_FPR * legit.size());
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
    return new BaselineRun(
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

  static double secondsSince(long nanos) {
    return Math.max(1e-3, (System.nanoTime() - nanos) / 1e9);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Renders the markdown report. */
  static final class Report {

    private Report() {}

    static String render(
        String split,
        long seed,
        Options o,
        TrafficBuilder.Traffic tune,
        TrafficBuilder.Traffic report,
        TrafficBuilder.Traffic scored,
        List<LeakProbe.Result> leaks,
        List<DetectionScorer.Score> pipeline,
        String pipelineNote,
        List<BaselineRun> baselines,
        List<String> timings) {
      StringBuilder md = new StringBuilder();
      md.append("# Detection benchmark\n\n");
      md.append("Generated by `DetectionBenchmark` (see bench/README.md). Scored split: **")
          .append(split)
          .append("**")
          .append(
              split.equals("tune")
                  ? " (the policy and the baseline thresholds were tuned on it: in-sample numbers)"
                  : " (prompts disjoint from the tune split, other seed; baseline thresholds calibrated on the tune split)")
          .append(".\n\n");
      md.append("## Run\n\n");
      md.append("| | |\n|---|---|\n");
      md.append("| date | ").append(Instant.now()).append(" |\n");
      md.append("| machine | ")
          .append(Runtime.getRuntime().availableProcessors())
          .append(" cores, ")
          .append(cpuModel())
          .append(" |\n");
      md.append("| java | ")
          .append(System.getProperty("java.vm.name"))
          .append(' ')
          .append(System.getProperty("java.version"))
          .append(" |\n");
      md.append("| policy | ")
          .append(
              o.policy() == null
                  ? "shipped default `" + safePolicyVersion() + "`"
                  : o.policy().toString())
          .append(" |\n");
      md.append(
          String.format(
              Locale.ROOT, "| scale | %.2f (tune split %.2f) |%n", o.scale(), o.tuneScale()));
      md.append("| seeds | tune ")
          .append(o.tuneSeed())
          .append(", report ")
          .append(o.reportSeed())
          .append(" (scored: ")
          .append(seed)
          .append(") |\n");
      md.append("| traffic | tune ")
          .append(tune.events().size())
          .append(" events / ")
          .append(tune.labels().size())
          .append(" accounts; report ")
          .append(report.events().size())
          .append(" events / ")
          .append(report.labels().size())
          .append(" accounts |\n");
      md.append("| pipeline | ").append(pipelineNote).append(" |\n");
      md.append("| embeddings | ")
          .append(
              o.precomputedEmbeddings()
                  ? "computed once by the benchmark (MiniLmEmbedder, default settings) and sent in the events' `embedding` field, so replay skips its embed step"
                  : "replay embeds every prompt itself; the baselines embed them again in the benchmark JVM")
          .append(" |\n");
      for (String t : timings) {
        md.append("| time | ").append(t).append(" |\n");
      }
      md.append(
          "\n## Traffic (scored split)\n\n| kind | class | accounts | events |\n|---|---|---:|---:|\n");
      Map<AccountKind, int[]> sizes = new java.util.EnumMap<>(AccountKind.class);
      scored
          .labels()
          .forEach(
              l -> {
                int[] c = sizes.computeIfAbsent(l.kind(), k -> new int[2]);
                c[0]++;
                c[1] += l.queries();
              });
      sizes.forEach(
          (k, c) ->
              md.append("| ")
                  .append(k)
                  .append(" | ")
                  .append(kindClass(k))
                  .append(" | ")
                  .append(c[0])
                  .append(" | ")
                  .append(c[1])
                  .append(" |\n"));

      md.append(
          "\n## Label-leak probe (one-feature detectors, trained on tune, evaluated on report)\n\n");
      md.append("AUC is in the orientation learnt on tune (0.5 = useless); a feature leaks above ")
          .append(LeakProbe.MAX_AUC)
          .append(".\n\n");
      md.append(
          "| feature | tune AUC (in-sample) | report AUC | report balanced acc. | rule | leaks |\n|---|---:|---:|---:|---|---|\n");
      for (LeakProbe.Result r : leaks) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %.3f | %.3f | %.3f | %s | %s |%n",
                r.feature(),
                r.tuneAuc(),
                r.reportAuc(),
                r.reportBalancedAccuracy(),
                r.detail().replace("|", "\\|").replace("\n", " "),
                r.feature().contains("informational") ? "n/a" : (r.leaks() ? "**yes**" : "no")));
      }

      List<DetectionScorer.Score> all = new ArrayList<>(pipeline);
      baselines.forEach(b -> all.addAll(b.scores()));
      if (!all.isEmpty()) {
        md.append("\n## Summary vs targets\n\n");
        md.append(
            "Flagged = REVIEW or above for DistillGuard (WATCH+ shown for reference); a baseline flags at its threshold. Budget = flagged within max(100 queries, 5% of the account's traffic).\n\n");
        md.append(
            "| detector | FPR all legit (target <= 0.5%) | FPR ordinary | FPR hard negatives (target <= 2% per kind) | single-account campaigns flagged (target >= 99%) | within budget | swarm accounts flagged |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (DetectionScorer.Score s : all) {
          md.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %s | %s | %s | %s | %s | %s |%n",
                  s.detector(),
                  pct(s.falsePositiveRate()),
                  pct(s.ordinaryFalsePositiveRate()),
                  pct(s.hardNegativeFalsePositiveRate()),
                  pct(s.singleCampaignDetectionRate()),
                  pct(s.singleCampaignWithinBudgetRate()),
                  pct(s.swarmAccountRate())));
        }
        md.append(
            "\n## Per kind: flagged / accounts (median queries before the first flag; median share of the account's traffic)\n\n| kind |");
        all.forEach(s -> md.append(' ').append(s.detector()).append(" |"));
        md.append("\n|---|");
        all.forEach(s -> md.append("---|"));
        md.append('\n');
        for (AccountKind k : sizes.keySet()) {
          md.append("| ").append(k).append(kind(k)).append(" |");
          for (DetectionScorer.Score s : all) {
            DetectionScorer.KindRow r =
                s.kinds().stream().filter(x -> x.kind() == k).findFirst().orElse(null);
            if (r == null) {
              md.append(" - |");
            } else if (r.flagged() == 0) {
              md.append(" 0/").append(r.accounts()).append(" |");
            } else {
              md.append(
                  String.format(
                      Locale.ROOT,
                      " %d/%d (%.0f q; %.1f%%) |",
                      r.flagged(),
                      r.accounts(),
                      r.medianQueriesBeforeFlag(),
                      100 * r.medianShareBeforeFlag()));
            }
          }
          md.append('\n');
        }
        md.append("\n## Swarms: member accounts flagged\n\n| swarm | kind | members |");
        all.forEach(s -> md.append(' ').append(s.detector()).append(" |"));
        md.append("\n|---|---|---:|");
        all.forEach(s -> md.append("---:|"));
        md.append('\n');
        if (!all.isEmpty()) {
          for (DetectionScorer.SwarmRow sw : all.get(0).swarms()) {
            md.append("| ")
                .append(sw.swarmId())
                .append(" | ")
                .append(sw.kind())
                .append(" | ")
                .append(sw.members())
                .append(" |");
            for (DetectionScorer.Score s : all) {
              s.swarms().stream()
                  .filter(x -> x.swarmId().equals(sw.swarmId()))
                  .findFirst()
                  .ifPresent(x -> md.append(' ').append(x.flagged()).append(" |"));
            }
            md.append('\n');
          }
        }
        md.append("\n## Baseline calibration (tune split)\n\n");
        for (BaselineRun b : baselines) {
          md.append("- ")
              .append(b.name())
              .append(": ")
              .append(String.join("; ", b.notes()))
              .append('\n');
        }
        md.append(
            "\nPublished reference points: MMD detector 0.3% FPR / 90.5% detection with 1,500-query windows; PRADA adapted to LLM text 7.3% FPR / 49% detection. Our accounts send 15 to ~3,400 queries, so the windowed MMD baseline uses 100-query windows evaluated every 50 queries (a partial window from the 50th query); the published setting (full 1,500-query windows) only ever evaluates accounts with at least 1,500 queries. All baselines get thresholds calibrated on the tune split instead of a per-window permutation test.\n");
      }
      md.append("\n## Datasets used\n\n");
      md.append(
          "Legitimate apps (one domain each): banking77, clinc150 (banking, credit_cards, travel, work, utility, meta, auto_and_commute, home, kitchen_and_dining, small_talk), sgd (service families per domain), hwu64, snips, medquad, mmlu (clinical/medical subjects for health; law, psychology and history subject groups for study apps), humaneval, mbpp, conala (coding), gsm8k, svamp, math (maths tutors). General assistants: the instruction sets (self_instruct_seed, self_instruct_user_oriented, mt_bench, vicuna_bench, wizardlm_testset, alpaca_eval_human, ifeval) half the time, everyday domain questions the other half.\n\n");
      md.append(
          "Campaign sweeps: mmlu (all subjects, 24%), p3_t0_sample (20%), math (10%), gsm8k (7%), humaneval/mbpp/conala (9%), the instruction sets above (26%). Narrow swarm slices: one mmlu subject, one p3 task family, maths, code or writing per account, with a stated use that matches the slice. Each split uses the half of every file chosen by a hash of (source, id, text).\n");
      return md.toString();
    }

    private static String kind(AccountKind k) {
      return k.hardNegative() ? " (hard negative)" : "";
    }

    private static String kindClass(AccountKind k) {
      if (k.campaign()) {
        return k.swarm() ? "campaign (swarm)" : "campaign";
      }
      return k.hardNegative() ? "legit (hard negative)" : "legit";
    }

    private static String pct(double v) {
      return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    private static String safePolicyVersion() {
      try {
        return Policy.loadDefault().version();
      } catch (RuntimeException e) {
        return "unknown (" + e.getClass().getSimpleName() + ")";
      }
    }

    private static String cpuModel() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
          if (line.startsWith("model name")) {
            return line.substring(line.indexOf(':') + 1).trim();
          }
        }
      } catch (IOException | UncheckedIOException e) {
        // not Linux: fall through
      }
      return System.getProperty("os.arch");
    }
  }
}
