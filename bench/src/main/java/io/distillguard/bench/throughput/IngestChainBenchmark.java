package io.distillguard.bench.throughput;

import io.distillguard.bench.Datasets;
import io.distillguard.bench.WorkDirs;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.BatchingEmbedder;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.SharedEmbedders;
import io.distillguard.ingest.IngestJob;
import io.distillguard.ingest.IngestSettings;
import io.distillguard.ingest.IngestSinks;
import io.distillguard.ingest.IngestSources;
import io.distillguard.ingest.parse.ParseEventsFunction;
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
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest job alone over events that carry their 384-d vector, so nothing is embedded: parse,
 * profile join, preamble split, the embed step (skipped), enrichment, link keys, the embedded
 * vector store and the in-process observation channel, on a local MiniCluster, without the actor
 * side (whose CPU and noise dominate a whole replay). Variants ({@code -Dbench.variants}, the first
 * is the baseline of the table):
 *
 * <ul>
 *   <li>{@code copying}: the job with Flink's default hand-offs (every hand-off between chained
 *       operators copies the element);
 *   <li>{@code reuse}: the job as it runs ({@code pipeline.object-reuse} on);
 *   <li>{@code reuse-b64}: the same, the events carrying their vector as {@code embedding_b64};
 *   <li>{@code floor}, {@code floor-b64}: what the engine costs before the job does anything of its
 *       own: the same source and parse, the same hand-off keyed by account as the job's first
 *       shuffle, into a sink that counts and drops (no profile join, enrichment, store or
 *       observations).
 * </ul>
 *
 * <p>Variants run in alternating rounds, each on a fresh store. The model is loaded once for the
 * JVM (the job needs it for the taxonomy's categories and the stated uses) and kept between rounds;
 * one warm-up round of each variant is not reported.
 *
 * <p>Writes {@code bench/results/ingest-chain.md} (or {@code -Dbench.out}). Options: {@code
 * -Dbench.events=40000 -Dbench.accounts=50 -Dbench.rounds=4 -Dbench.parallelism=2
 * -Dbench.variants=copying,reuse}.
 */
public final class IngestChainBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(IngestChainBenchmark.class);

  private static final int EVENTS = Integer.getInteger("bench.events", 40_000);
  private static final int ACCOUNTS = Integer.getInteger("bench.accounts", 50);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 4);
  private static final int PARALLELISM = Integer.getInteger("bench.parallelism", 2);

  /**
   * One way of running the chain: the whole job or the engine's floor, with or without object
   * reuse, over events with a JSON array or {@code embedding_b64}.
   */
  private record Variant(
      String key, String name, boolean objectReuse, boolean floor, boolean b64) {}

  private static final List<Variant> VARIANTS =
      List.of(
          new Variant(
              "copying",
              "copying hand-offs (Flink's default, the job before)",
              false,
              false,
              false),
          new Variant("reuse", "object reuse (the job's setting)", true, false, false),
          new Variant(
              "reuse-b64", "object reuse, the vector as `embedding_b64`", true, false, true),
          new Variant(
              "floor",
              "engine floor: source, parse, keyed hand-off, counting sink",
              true,
              true,
              false),
          new Variant(
              "floor-b64", "engine floor, the vector as `embedding_b64`", true, true, true));

  /** Events the floor's sink has counted (the MiniCluster runs in this JVM). */
  private static final AtomicLong FLOOR_COUNTED = new AtomicLong();

  private record Result(double seconds, double cpuSeconds) {}

  private IngestChainBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path work = WorkDirs.temporary("ingest-chain");
    Path profiles = work.resolve("profiles.jsonl");
    Path events = work.resolve("events.jsonl");
    Path eventsB64 = work.resolve("events-b64.jsonl");
    writeTraffic(Datasets.locate(null), profiles, events, eventsB64);
    String loadBefore = Environment.loadAverage();
    List<Variant> variants = new ArrayList<>();
    for (String key : System.getProperty("bench.variants", "copying,reuse").split(",")) {
      variants.add(
          VARIANTS.stream()
              .filter(v -> v.key().equals(key.strip()))
              .findFirst()
              .orElseThrow(() -> new IllegalArgumentException("unknown variant " + key)));
    }
    Map<Variant, List<Result>> results;
    try (BatchingEmbedder model = SharedEmbedders.acquire(EmbedderSettings.DEFAULT)) {
      // one warm-up round of each (class loading, JIT), not reported
      for (Variant v : variants) {
        run(v, -1, profiles, v.b64() ? eventsB64 : events, work.resolve("warm-up-" + v.key()));
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
                      v.b64() ? eventsB64 : events,
                      work.resolve("data-" + round + "-" + v.key())));
    }
    StringBuilder md =
        new StringBuilder("# Throughput: the ingest chain alone, precomputed embeddings\n\n");
    md.append(Environment.header(loadBefore));
    md.append(
        String.format(
            Locale.ROOT,
            "`IngestJob` on a local MiniCluster (parallelism %d) over %,d events of %d accounts,"
                + " each carrying a random 384-d unit vector (a JSON array unless the variant says"
                + " `embedding_b64`) and a real prompt, so nothing is embedded; the accounts'"
                + " profiles; the embedded vector store and the in-process observation channel (no"
                + " actor side). The engine floor runs the same source and parse and the job's first"
                + " hand-off keyed by account into a sink that counts and drops. A warm-up round of"
                + " each variant (not reported), then %d round(s), variants alternating. Seconds: the"
                + " job's wall time, its MiniCluster start and deployment included; CPU: this JVM's"
                + " CPU time over the run, all threads. The first row is the baseline.%n%n",
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
    StringBuilder perRound = new StringBuilder();
    for (Variant v : variants) {
      List<Result> r = results.get(v);
      double rate = r.stream().mapToDouble(x -> EVENTS / x.seconds()).average().orElse(0);
      double[] cpuMs = r.stream().mapToDouble(x -> 1000 * x.cpuSeconds() / EVENTS).toArray();
      double cpu = java.util.Arrays.stream(cpuMs).average().orElse(0);
      if (v == variants.get(0)) {
        baseRate = rate;
        baseCpu = cpu;
      }
      perRound.append(
          String.format(
              Locale.ROOT,
              "- %s: %s CPU ms per event%n",
              v.key(),
              String.join(
                  ", ",
                  java.util.Arrays.stream(cpuMs)
                      .mapToObj(x -> String.format(Locale.ROOT, "%.3f", x))
                      .toList())));
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
    md.append("\nPer round, in the order they ran:\n\n").append(perRound);
    Path out = Path.of(System.getProperty("bench.out", "bench/results/ingest-chain.md"));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, md.toString());
    LOG.info("\n{}", md);
    System.exit(0);
  }

  private static Result run(Variant v, int round, Path profiles, Path events, Path dataDir)
      throws Exception {
    if (v.floor()) {
      return runFloor(v, round, profiles, events);
    }
    String channelName = "ingest-chain-" + round + "-" + v.key();
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
      objectReuse(env, v);
      return timed(v, round, env, IngestJob.NAME, channel::publishedCount, "observed");
    } finally {
      channel.close();
    }
  }

  /**
   * The engine's floor: the job's own source and parse, its first hand-off keyed by account, and a
   * sink that counts and drops.
   */
  private static Result runFloor(Variant v, int round, Path profiles, Path events)
      throws Exception {
    IngestSettings settings = IngestSettings.defaults().withParallelism(PARALLELISM);
    IngestSources sources = IngestSources.files(profiles, events);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(
            PARALLELISM, IngestJob.flinkConfiguration());
    env.configure(IngestJob.flinkConfiguration()); // as IngestJob.build does
    sources
        .events(env, settings)
        .process(
            new ParseEventsFunction(
                sources.eventsName(), settings.contractLimits(), settings.eventTimeRange()))
        .name("parse events")
        .keyBy(QueryEvent::accountId, Types.STRING)
        .map(IngestChainBenchmark::countFloor)
        .name("count")
        .sinkTo(new DiscardingSink<>());
    objectReuse(env, v);
    FLOOR_COUNTED.set(0);
    return timed(v, round, env, "ingest-floor", FLOOR_COUNTED::get, "counted");
  }

  /**
   * Sets the variant's object reuse, after the pipeline is built (building applies the job's own
   * configuration, which turns it on).
   */
  private static void objectReuse(StreamExecutionEnvironment env, Variant v) {
    Configuration reuse = new Configuration();
    reuse.setString(IngestJob.OBJECT_REUSE, Boolean.toString(v.objectReuse()));
    env.configure(reuse);
  }

  /**
   * Runs the built job and times it (wall and this JVM's CPU); fails unless every event arrived at
   * its end ({@code arrived}).
   */
  private static Result timed(
      Variant v,
      int round,
      StreamExecutionEnvironment env,
      String jobName,
      java.util.function.LongSupplier arrived,
      String what)
      throws Exception {
    long cpuBefore = Environment.processCpuNanos();
    long started = System.nanoTime();
    env.execute(jobName);
    double seconds = (System.nanoTime() - started) / 1e9;
    double cpu = (Environment.processCpuNanos() - cpuBefore) / 1e9;
    if (arrived.getAsLong() != EVENTS) {
      throw new IllegalStateException(
          v.name() + ": " + arrived.getAsLong() + " of " + EVENTS + " " + what);
    }
    LOG.info(
        "{} round {}: {} s, {} CPU ms per event",
        v.name(),
        round,
        String.format(Locale.ROOT, "%.1f", seconds),
        String.format(Locale.ROOT, "%.3f", 1000 * cpu / EVENTS));
    return new Result(seconds, cpu);
  }

  private static String countFloor(QueryEvent e) {
    FLOOR_COUNTED.incrementAndGet();
    return e.eventId();
  }

  /**
   * Profiles and events as {@code ReplayThroughputBenchmark} writes them: the vector as a JSON
   * array in {@code events}, as {@code embedding_b64} in {@code eventsB64}, the same events
   * otherwise.
   */
  private static void writeTraffic(Path datasets, Path profiles, Path events, Path eventsB64)
      throws Exception {
    ContractCodec codec = new ContractCodec(ContractLimits.DEFAULT);
    PrecomputedTraffic.writeProfiles(codec, profiles, ACCOUNTS);
    List<String> prompts =
        new ArrayList<>(
            RepeatingTraffic.distinctPrompts(
                datasets, 2_000 / RepeatingTraffic.SOURCES.size() + 1));
    int perAccount = Math.max(1, prompts.size() / ACCOUNTS);
    Random random = new Random(13);
    try (BufferedWriter out = Files.newBufferedWriter(events);
        BufferedWriter outB64 = Files.newBufferedWriter(eventsB64)) {
      for (int i = 0; i < EVENTS; i++) {
        int account = i % ACCOUNTS;
        String prompt =
            prompts.get((account * perAccount + random.nextInt(perAccount)) % prompts.size());
        QueryEvent e =
            PrecomputedTraffic.event(
                "evt-" + i, account, i, prompt, ThroughputBenchmark.unitVector(random, 384));
        out.write(codec.writeEvent(e));
        out.newLine();
        outB64.write(PrecomputedTraffic.base64Line(codec, e));
        outB64.newLine();
      }
    }
  }
}
