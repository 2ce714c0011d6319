package io.distillguard.bench.throughput;

import io.distillguard.bench.Datasets;
import io.distillguard.bench.HostProbes;
import io.distillguard.embedding.BatchingEmbedder;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.SharedEmbedders;
import io.distillguard.enrich.PreambleLearner;
import io.distillguard.enrich.PromptSplit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Effective events/s of the ingest job's embed stage on realistic traffic (apps resending their
 * system preamble, users repeating questions; real prompts from the datasets folder), against the
 * in-job path before the cache and the scaffold split, measured in the same run:
 *
 * <ol>
 *   <li>whole prompt, no cache (the baseline): every event runs the model on its whole prompt;
 *   <li>whole prompt, with the cache: each distinct prompt once;
 *   <li>scaffold split, no cache: each event's payload, each account's scaffold once per version;
 *   <li>scaffold split, with the cache (the job's default now).
 * </ol>
 *
 * <p>Each variant runs the whole stream on a fresh engine ({@code SharedEmbedders}, default
 * settings: one session per core, 128 tokens, one text per model call) from 4 submitting threads,
 * each owning a quarter of the accounts and their {@link PreambleLearner}s, as the keyed split and
 * the async embed operator do; the learners' work is inside the timed part. Effective events/s =
 * events / wall time until every event has its vector. Rounds alternate between the variants.
 *
 * <p>Writes {@code bench/results/throughput-realistic.md}. Options (JVM properties): {@code
 * -Dbench.events=2000 -Dbench.apps=40 -Dbench.repeatRate=0.26 -Dbench.preambleShare=0.7
 * -Dbench.rounds=2}.
 */
public final class RealisticTrafficBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(RealisticTrafficBenchmark.class);

  private static final int EVENTS = Integer.getInteger("bench.events", 2_000);
  private static final int APPS = Integer.getInteger("bench.apps", 40);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 2);
  private static final double REPEAT_RATE =
      Double.parseDouble(System.getProperty("bench.repeatRate", "0.26"));
  private static final double PREAMBLE_SHARE =
      Double.parseDouble(System.getProperty("bench.preambleShare", "0.7"));
  private static final int SUBMITTERS = 4;

  private RealisticTrafficBenchmark() {}

  private record Variant(String name, boolean split, int cacheEntries) {}

  private record Timed(double rate, double perCpuSecond, long modelRuns, double meanChars) {}

  public static void main(String[] args) throws Exception {
    Path datasets = Datasets.locate(null);
    List<AppTraffic.Call> calls =
        AppTraffic.calls(datasets, APPS, EVENTS, REPEAT_RATE, PREAMBLE_SHARE, 31);
    List<String> warmUp = new ArrayList<>();
    for (AppTraffic.Call c :
        AppTraffic.calls(datasets, 7, 60, 0, PREAMBLE_SHARE, 97).subList(0, 60)) {
      warmUp.add("warm-up: " + c.prompt()); // never in the stream: warms sessions, not caches
    }
    String loadBefore = Environment.loadAverage();
    List<Variant> variants =
        List.of(
            new Variant("whole prompt, no cache (baseline: the in-job path before)", false, 0),
            new Variant(
                "whole prompt, with the cache", false, EmbedderSettings.DEFAULT_CACHE_ENTRIES),
            new Variant("scaffold split, no cache", true, 0),
            new Variant(
                "scaffold split, with the cache (the job's default)",
                true,
                EmbedderSettings.DEFAULT_CACHE_ENTRIES));
    Map<Variant, List<Timed>> results =
        Rounds.alternate(
            ROUNDS,
            variants,
            (v, round) -> {
              Timed t = run(v, calls, warmUp);
              LOG.info(
                  "round {} {}: {} events/s, {} model runs, {} chars per run",
                  round,
                  v.name(),
                  String.format(Locale.ROOT, "%.1f", t.rate()),
                  t.modelRuns(),
                  String.format(Locale.ROOT, "%.0f", t.meanChars()));
              return t;
            });
    write(calls, variants, results, loadBefore);
  }

  private static Timed run(Variant v, List<AppTraffic.Call> calls, List<String> warmUp)
      throws Exception {
    EmbedderSettings settings = EmbedderSettings.DEFAULT.withCacheEntries(v.cacheEntries());
    try (BatchingEmbedder embedder = SharedEmbedders.acquire(settings)) {
      for (String text : warmUp) {
        embedder.embedAsync(text).get();
      }
      long before = embedder.stats().texts();
      long[] chars = new long[SUBMITTERS];
      long[] texts = new long[SUBMITTERS];
      List<List<CompletableFuture<?>>> parts = new ArrayList<>();
      Thread[] submitters = new Thread[SUBMITTERS];
      long started = System.nanoTime();
      long cpuStarted = Environment.processCpuNanos();
      for (int s = 0; s < SUBMITTERS; s++) {
        List<CompletableFuture<?>> part = new ArrayList<>();
        parts.add(part);
        int me = s;
        submitters[s] =
            new Thread(
                () -> {
                  Map<String, PreambleLearner> learners = new HashMap<>();
                  for (AppTraffic.Call c : calls) {
                    if (Math.floorMod(c.account().hashCode(), SUBMITTERS) != me) {
                      continue;
                    }
                    PromptSplit split =
                        v.split()
                            ? learners
                                .computeIfAbsent(c.account(), a -> new PreambleLearner())
                                .split(c.prompt())
                            : PromptSplit.whole(c.prompt());
                    part.add(embedder.embedAsync(split.payload()));
                    chars[me] += split.payload().length();
                    texts[me]++;
                    if (split.newVersion()) {
                      part.add(embedder.embedAsync(split.preamble()));
                      chars[me] += split.preamble().length();
                      texts[me]++;
                    }
                  }
                });
        submitters[s].start();
      }
      for (Thread t : submitters) {
        t.join();
      }
      List<CompletableFuture<?>> all = new ArrayList<>();
      parts.forEach(all::addAll);
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
      double seconds = (System.nanoTime() - started) / 1e9;
      double cpuSeconds = (Environment.processCpuNanos() - cpuStarted) / 1e9;
      long modelRuns = embedder.stats().texts() - before;
      long totalChars = 0;
      long totalTexts = 0;
      for (int s = 0; s < SUBMITTERS; s++) {
        totalChars += chars[s];
        totalTexts += texts[s];
      }
      return new Timed(
          calls.size() / seconds,
          calls.size() / cpuSeconds,
          modelRuns,
          (double) totalChars / totalTexts);
    }
  }

  private static void write(
      List<AppTraffic.Call> calls,
      List<Variant> variants,
      Map<Variant, List<Timed>> results,
      String loadBefore)
      throws Exception {
    long distinctPrompts = calls.stream().map(AppTraffic.Call::prompt).distinct().count();
    long withPreamble = calls.stream().filter(AppTraffic.Call::preamble).count();
    StringBuilder md =
        new StringBuilder("# Throughput on realistic traffic: embed only what varies\n\n");
    md.append("- Date: ")
        .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    md.append("\n- Machine: ")
        .append(HostProbes.machine())
        .append("; Java ")
        .append(System.getProperty("java.runtime.version"));
    md.append("\n- Load average (1, 5, 15 min) at the start: ")
        .append(loadBefore)
        .append("; at the end: ")
        .append(Environment.loadAverage())
        .append(
            ". Compare the ratios: every variant ran on the same machine in alternating rounds.");
    md.append(
        String.format(
            Locale.ROOT,
            "%n- Traffic: %,d calls from %d apps over real prompts (%s; one domain per app),"
                + " %,d distinct prompts (%.1f%% exact repeats); %.0f%% of the apps resend a system"
                + " preamble of 60-140 words before a blank line (%,d calls, %.1f%%). Settings:"
                + " `EmbedderSettings.DEFAULT` (%d sessions, %d tokens, one text per model call),"
                + " %d submitting threads, %d rounds.%n%n",
            calls.size(),
            APPS,
            String.join(", ", AppTraffic.SOURCES),
            distinctPrompts,
            100.0 * (calls.size() - distinctPrompts) / calls.size(),
            100 * PREAMBLE_SHARE,
            withPreamble,
            100.0 * withPreamble / calls.size(),
            EmbedderSettings.DEFAULT.threads(),
            EmbedderSettings.DEFAULT.maxTokens(),
            SUBMITTERS,
            ROUNDS));
    md.append(
        "| variant | events/s mean | min | max | vs baseline | events per CPU-second | vs baseline"
            + " | model runs | characters per embedded text |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    double baseline = mean(results.get(variants.get(0)));
    double cpuBaseline = meanPerCpu(results.get(variants.get(0)));
    for (Variant v : variants) {
      List<Timed> ts = results.get(v);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %,.0f | %,.0f | %.2fx | %,.0f | %.2fx | %,d | %,.0f |%n",
              v.name(),
              mean(ts),
              ts.stream().mapToDouble(Timed::rate).min().orElse(0),
              ts.stream().mapToDouble(Timed::rate).max().orElse(0),
              mean(ts) / baseline,
              meanPerCpu(ts),
              meanPerCpu(ts) / cpuBaseline,
              ts.get(ts.size() - 1).modelRuns(),
              ts.get(ts.size() - 1).meanChars()));
    }
    md.append(
        "\nEvery event gets the vector the job uses for it: the whole prompt's in the first two"
            + " rows, the payload's in the last two (plus the account's scaffold, embedded once per"
            + " version). A vector is the model's vector for that text alone, bit for bit, in every"
            + " row (`EmbedPromptsFunctionTest`, `EmbeddingCacheTest`). The payload rows run the"
            + " model on shorter texts (fewer tokens per run) and hit the cache more often: the same"
            + " question asked through two apps is one payload.\n");
    Path out = Path.of("bench/results/throughput-realistic.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md.toString());
    LOG.info("\n{}", md);
  }

  /** CPU time of this whole process (the model runs on native threads of this process). */
  private static double meanPerCpu(List<Timed> ts) {
    return ts.stream().mapToDouble(Timed::perCpuSecond).average().orElse(0);
  }

  private static double mean(List<Timed> ts) {
    return ts.stream().mapToDouble(Timed::rate).average().orElse(0);
  }
}
