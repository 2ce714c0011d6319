package io.distillguard.bench.detection.campaign;

import io.distillguard.bench.Datasets;
import io.distillguard.bench.detection.PromptPool;
import io.distillguard.campaign.LinkType;
import io.distillguard.policy.Policy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaign detection benchmark, one command: builds a tune split, a report split and an unseen
 * seed of campaign traffic from the real prompt datasets, enriches every event as the ingest job
 * would, replays each split in event time through the campaign detector (alone, and with a reviewer
 * who confirms raised campaigns) and the per-account detector, scores both against the labels,
 * measures the heap cost of a link key shared by 100k accounts, and writes a markdown report.
 *
 * <p>Options: {@code --scale X} (the report split, default 0.5: one campaign of 20 members per
 * kind), {@code --unseen-scale X} (default 0.25), {@code --tune-scale X} (default 0.3), {@code
 * --tune-seed N} (1001), {@code --report-seed N} (2002), {@code --unseen-seed N} (3003), {@code
 * --datasets DIR}, {@code --work DIR} (bench/target/campaigns: the embedding cache), {@code --out
 * FILE} (bench/results/campaigns.md), {@code --policy FILE} (default: the shipped policy), {@code
 * --review-lag-hours H} (6), {@code --splits tune,report,unseen}, {@code --skip-memory}, {@code
 * --prepare-only} (build and embed the splits, filling the cache, and stop), {@code
 * --signup-background N} (0: with the prior, N other sign-ups per hour around every account's
 * sign-up, {@link SignupBackground}).
 */
public final class CampaignBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignBenchmark.class);

  private CampaignBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--skip-memory") || args[i].equals("--prepare-only")) {
        o.put(args[i], "true");
      } else if (args[i].startsWith("--") && i + 1 < args.length) {
        o.put(args[i], args[++i]);
      } else {
        throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    double scale = Double.parseDouble(o.getOrDefault("--scale", "0.5"));
    double unseenScale = Double.parseDouble(o.getOrDefault("--unseen-scale", "0.25"));
    double tuneScale = Double.parseDouble(o.getOrDefault("--tune-scale", "0.3"));
    Path datasets = Datasets.locate(o.get("--datasets"));
    Path work = Path.of(o.getOrDefault("--work", "bench/target/campaigns"));
    Path out = Path.of(o.getOrDefault("--out", "bench/results/campaigns.md"));
    Policy policy =
        o.containsKey("--policy") ? Policy.load(Path.of(o.get("--policy"))) : Policy.loadDefault();
    String policyName =
        o.containsKey("--policy")
            ? o.get("--policy")
            : "shipped default `" + policy.version() + "`";
    Duration lag =
        Duration.ofMinutes(
            Math.round(60 * Double.parseDouble(o.getOrDefault("--review-lag-hours", "6"))));
    List<String> wanted = List.of(o.getOrDefault("--splits", "tune,report,unseen").split(","));
    int signupsPerHour = Integer.parseInt(o.getOrDefault("--signup-background", "0"));

    PromptPool tunePool = null;
    PromptPool reportPool = null;
    List<CompletableFuture<CampaignReport.SplitRun>> scoring = new ArrayList<>();
    ExecutorService workers = Executors.newFixedThreadPool(6);
    for (String name : wanted) {
      PreparedSplit split;
      Path cache = work.resolve("embeddings");
      switch (name) {
        case "tune" -> {
          tunePool = tunePool != null ? tunePool : PromptPool.load(datasets, PromptPool.Split.TUNE);
          split =
              PreparedSplit.prepare(
                  name,
                  tunePool,
                  tuneScale,
                  Long.parseLong(o.getOrDefault("--tune-seed", "1001")),
                  cache);
        }
        case "report", "unseen" -> {
          reportPool =
              reportPool != null ? reportPool : PromptPool.load(datasets, PromptPool.Split.REPORT);
          long seed =
              Long.parseLong(
                  name.equals("report")
                      ? o.getOrDefault("--report-seed", "2002")
                      : o.getOrDefault("--unseen-seed", "3003"));
          split =
              PreparedSplit.prepare(
                  name, reportPool, name.equals("report") ? scale : unseenScale, seed, cache);
        }
        default -> throw new IllegalArgumentException("unknown split " + name);
      }
      if (!o.containsKey("--prepare-only")) {
        scoring.add(score(split, policy, lag, signupsPerHour, workers));
      }
    }
    if (o.containsKey("--prepare-only")) {
      workers.shutdown();
      LOG.info("Prepared {} (embeddings cached under {})", wanted, work);
      return;
    }
    List<CampaignReport.SplitRun> runs = scoring.stream().map(CompletableFuture::join).toList();
    workers.shutdown();
    List<LinkKeyMemory.Row> memory =
        o.containsKey("--skip-memory")
            ? List.of()
            : LinkKeyMemory.measure(
                List.of(
                    LinkKeyMemory.unboundedBaseline(),
                    CampaignDetectorRun.keyTable(LinkType.IP),
                    CampaignDetectorRun.keyTable(LinkType.SCAFFOLD)),
                new int[] {1_000, 10_000, 100_000});
    List<String> notes = new ArrayList<>();
    notes.add(
        String.format(
            Locale.ROOT,
            "scale %.2f (report), %.2f (unseen seed, report prompts), %.2f (tune prompts); any setting may be chosen on tune only, report and unseen are never tuned on",
            scale,
            unseenScale,
            tuneScale));
    if (signupsPerHour > 0) {
      notes.add(
          "sign-up background (`--signup-background "
              + signupsPerHour
              + "`): with the prior, "
              + signupsPerHour
              + " other sign-ups per hour in the hour of every account's sign-up and the hours"
              + " either side (`SignupBackground`)");
    }
    String md = CampaignReport.render(runs, memory, policyName, lag.toHours() + " h", notes);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, md, StandardCharsets.UTF_8);
    LOG.info("Wrote {}", out);
  }

  /**
   * Scores one split: the per-account detector and the two campaign replays run side by side (they
   * only read the split).
   */
  private static CompletableFuture<CampaignReport.SplitRun> score(
      PreparedSplit split, Policy policy, Duration lag, int signupsPerHour, ExecutorService pool) {
    List<String> accounts = split.traffic().events().stream().map(e -> e.accountId()).toList();
    CompletableFuture<Map<String, CampaignScorer.Flag>> perAccount =
        CompletableFuture.supplyAsync(
            () -> PerAccountBaseline.run(split.observations(), split.categories(), policy), pool);
    CompletableFuture<CampaignRunResult> raw =
        CompletableFuture.supplyAsync(
            () -> CampaignDetectorRun.run(split, policy, null, false), pool);
    CompletableFuture<CampaignRunResult> auto =
        CompletableFuture.supplyAsync(
            () -> CampaignDetectorRun.run(split, policy, null, true, signupsPerHour), pool);
    CompletableFuture<CampaignRunResult> reviewed =
        CompletableFuture.supplyAsync(
            () -> CampaignDetectorRun.run(split, policy, lag, true, signupsPerHour), pool);
    return CompletableFuture.allOf(perAccount, raw, auto, reviewed)
        .thenApply(
            v -> {
              List<CampaignLabel> labels = split.traffic().labels();
              LOG.info(
                  "Split {}: per-account detector flagged {} accounts, campaign detection {} ({} s)",
                  split.name(),
                  perAccount.join().size(),
                  auto.join().flags().size(),
                  Math.round(auto.join().seconds()));
              return new CampaignReport.SplitRun(
                  split,
                  raw.join(),
                  CampaignScorer.score(labels, accounts, raw.join().flags(), perAccount.join()),
                  auto.join(),
                  reviewed.join(),
                  CampaignScorer.score(labels, accounts, auto.join().flags(), perAccount.join()),
                  CampaignScorer.score(
                      labels, accounts, reviewed.join().flags(), perAccount.join()),
                  perAccount.join().size());
            });
  }
}
