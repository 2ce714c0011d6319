package io.distillguard.bench.throughput;

import io.distillguard.bench.Datasets;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.embedding.BatchingEmbedder;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.SharedEmbedders;
import io.distillguard.ingest.IngestJob;
import io.distillguard.ingest.IngestSettings;
import io.distillguard.ingest.IngestSinks;
import io.distillguard.ingest.IngestSources;
import io.distillguard.observe.InProcessObservationChannel;
import io.distillguard.store.StoreSettings;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest job alone over events that carry their 384-d vector (a JSON array), so nothing is
 * embedded: parse, profile join, preamble split, the embed step (skipped), enrichment, link keys,
 * the embedded vector store and the in-process observation channel, on a local MiniCluster, without
 * the actor side (whose CPU and noise dominate a whole replay). Variants: the job as it runs
 * ({@code pipeline.object-reuse} on) and the baseline with Flink's default in its place (every
 * hand-off between chained operators copies the element), in alternating rounds, each on a fresh
 * store. The model is loaded once for the JVM (the job needs it for the taxonomy's categories and
 * the stated uses) and kept between rounds; one warm-up round of each variant is not reported.
 *
 * <p>Writes {@code bench/results/ingest-chain.md} (or {@code -Dbench.out}). Options: {@code
 * -Dbench.events=40000 -Dbench.accounts=50 -Dbench.rounds=4 -Dbench.parallelism=2}.
 */
public final class IngestChainBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(IngestChainBenchmark.class);

  private static final int EVENTS = Integer.getInteger("bench.events", 40_000);
  private static final int ACCOUNTS = Integer.getInteger("bench.accounts", 50);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 4);
  private static final int PARALLELISM = Integer.getInteger("bench.parallelism", 2);

  private record Variant(String name, boolean objectReuse) {}

  private record Result(double seconds, double cpuSeconds) {}

  private IngestChainBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("ingest-chain");
    Path profiles = work.resolve("profiles.jsonl");
    Path events = work.resolve("events.jsonl");
    writeTraffic(Datasets.locate(null), profiles, events);
    String loadBefore = Environment.loadAverage();
    List<Variant> variants =
        List.of(
            new Variant("copying hand-offs (baseline: Flink's default, the job before)", false),
            new Variant("object reuse (the job's setting)", true));
    Map<Variant, List<Result>> results;
    try (BatchingEmbedder model = SharedEmbedders.acquire(EmbedderSettings.DEFAULT)) {
      // one warm-up round of each (class loading, JIT), not reported
      for (Variant v : variants) {
        run(v, -1, profiles, events, work.resolve("warm-up-" + v.objectReuse()));
      }
      results =
          Rounds.alternate(
              ROUNDS,
              variants,
              (v, round) ->
                  run(
                      v,
                      round,
                      profiles,
                      events,
                      work.resolve("data-" + round + "-" + v.objectReuse())));
    }
    StringBuilder md =
        new StringBuilder("# Throughput: the ingest chain alone, precomputed embeddings\n\n");
    md.append(Environment.header(loadBefore));
    md.append(
        String.format(
            Locale.ROOT,
            "`IngestJob` on a local MiniCluster (parallelism %d) over %,d events of %d accounts,"
                + " each carrying a random 384-d unit vector as a JSON array and a real prompt, so"
                + " nothing is embedded; the accounts' profiles; the embedded vector store and the"
                + " in-process observation channel (no actor side). A warm-up round of each variant (not"
                + " reported), then %d round(s), variants alternating. Seconds: the job's wall time, its MiniCluster start and deployment"
                + " included; CPU: this JVM's CPU time over the run, all threads.%n%n",
            PARALLELISM,
            EVENTS,
            ACCOUNTS,
            ROUNDS));
    md.append(
        "| variant | events/s mean | vs baseline | CPU ms per event (mean) | min | max | events per"
            + " CPU-second | vs baseline |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    double baseRate = 0;
    double baseCpu = 0;
    for (Variant v : variants) {
      List<Result> r = results.get(v);
      double rate = r.stream().mapToDouble(x -> EVENTS / x.seconds()).average().orElse(0);
      double[] cpuMs = r.stream().mapToDouble(x -> 1000 * x.cpuSeconds() / EVENTS).toArray();
      double cpu = java.util.Arrays.stream(cpuMs).average().orElse(0);
      if (!v.objectReuse()) {
        baseRate = rate;
        baseCpu = cpu;
      }
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %.2fx | %.3f | %.3f | %.3f | %,.0f | %.2fx |%n",
              v.name(),
              rate,
              rate / baseRate,
              cpu,
              java.util.Arrays.stream(cpuMs).min().orElse(0),
              java.util.Arrays.stream(cpuMs).max().orElse(0),
              1000 / cpu,
              baseCpu / cpu));
    }
    Path out = Path.of(System.getProperty("bench.out", "bench/results/ingest-chain.md"));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, md.toString());
    LOG.info("\n{}", md);
    System.exit(0);
  }

  private static Result run(Variant v, int round, Path profiles, Path events, Path dataDir)
      throws Exception {
    String channelName = "ingest-chain-" + round + "-" + v.objectReuse();
    InProcessObservationChannel channel = InProcessObservationChannel.open(channelName, EVENTS + 1);
    try {
      IngestJob job =
          new IngestJob(
              IngestSources.files(profiles, events),
              IngestSinks.inProcess(
                  channelName,
                  dataDir.resolve("dead-letters.jsonl"),
                  StoreSettings.embedded(dataDir)),
              IngestSettings.defaults().withParallelism(PARALLELISM));
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createLocalEnvironment(
              PARALLELISM, IngestJob.flinkConfiguration());
      job.build(env);
      Configuration reuse = new Configuration();
      reuse.setString(IngestJob.OBJECT_REUSE, Boolean.toString(v.objectReuse()));
      env.configure(reuse);
      long cpuBefore = Environment.processCpuNanos();
      long started = System.nanoTime();
      env.execute(IngestJob.NAME);
      double seconds = (System.nanoTime() - started) / 1e9;
      double cpu = (Environment.processCpuNanos() - cpuBefore) / 1e9;
      long published = channel.publishedCount();
      if (published != EVENTS) {
        throw new IllegalStateException(
            v.name() + ": " + published + " of " + EVENTS + " observed");
      }
      LOG.info(
          "{} round {}: {} s, {} CPU ms per event",
          v.name(),
          round,
          String.format(Locale.ROOT, "%.1f", seconds),
          String.format(Locale.ROOT, "%.3f", 1000 * cpu / EVENTS));
      return new Result(seconds, cpu);
    } finally {
      channel.close();
    }
  }

  /** Profiles and events as {@code ReplayThroughputBenchmark} writes them (the JSON array form). */
  private static void writeTraffic(Path datasets, Path profiles, Path events) throws Exception {
    ContractCodec codec = new ContractCodec(ContractLimits.DEFAULT);
    PrecomputedTraffic.writeProfiles(codec, profiles, ACCOUNTS);
    List<String> prompts =
        new ArrayList<>(
            RepeatingTraffic.distinctPrompts(
                datasets, 2_000 / RepeatingTraffic.SOURCES.size() + 1));
    int perAccount = Math.max(1, prompts.size() / ACCOUNTS);
    Random random = new Random(13);
    try (BufferedWriter out = Files.newBufferedWriter(events)) {
      for (int i = 0; i < EVENTS; i++) {
        int account = i % ACCOUNTS;
        String prompt =
            prompts.get((account * perAccount + random.nextInt(perAccount)) % prompts.size());
        out.write(
            codec.writeEvent(
                PrecomputedTraffic.event(
                    "evt-" + i, account, i, prompt, ThroughputBenchmark.unitVector(random, 384))));
        out.newLine();
      }
    }
  }
}
