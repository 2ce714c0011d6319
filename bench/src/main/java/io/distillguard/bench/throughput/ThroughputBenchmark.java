package io.distillguard.bench.throughput;

import io.distillguard.bench.Datasets;
import io.distillguard.bench.HostProbes;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.Parsed;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.BatchingEmbedder;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.SharedEmbedders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two cheap-path costs of issue "Throughput", each against a baseline in the same run:
 *
 * <ol>
 *   <li>reading event lines that carry a 384-d embedding: the previous reading (BigDecimal tree),
 *       the streamed JSON array, and {@code embedding_b64}; lines/s on one thread;
 *   <li>embedding traffic with exact repeats through the job's shared embedder, without and with
 *       its cache: effective texts/s (every event gets its vector).
 * </ol>
 *
 * <p>Writes {@code bench/results/throughput.md}. Options (JVM properties): {@code
 * -Dbench.parseLines=10000 -Dbench.parseRounds=5 -Dbench.events=3000 -Dbench.repeatRate=0.26
 * -Dbench.embedRounds=3}.
 */
public final class ThroughputBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(ThroughputBenchmark.class);

  private static final int PARSE_LINES = Integer.getInteger("bench.parseLines", 10_000);
  private static final int PARSE_ROUNDS = Integer.getInteger("bench.parseRounds", 5);
  private static final int EVENTS = Integer.getInteger("bench.events", 3_000);
  private static final int EMBED_ROUNDS = Integer.getInteger("bench.embedRounds", 3);

  /**
   * The share of events whose prompt repeats an earlier one exactly. 0.26 is the realistic replay
   * the issue measured: ~69,000 events with ~51,000 distinct prompts.
   */
  private static final double REPEAT_RATE =
      Double.parseDouble(System.getProperty("bench.repeatRate", "0.26"));

  private static final long TRAFFIC_SEED = 29;

  private static final ContractCodec CODEC = new ContractCodec(ContractLimits.DEFAULT);

  private ThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path datasets = Datasets.locate(null);
    String loadBefore = Environment.loadAverage();
    List<String> prompts =
        RepeatingTraffic.distinctPrompts(
            datasets, (EVENTS + 200) / RepeatingTraffic.SOURCES.size());

    List<Row> parseRows = parse(prompts);
    List<Row> embedRows = embed(prompts);

    StringBuilder md =
        new StringBuilder("# Throughput: the precomputed path and repeated prompts\n\n");
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
            ". The machine was shared with other builds and test runs while this ran: absolute"
                + " figures are low and noisy, compare the ratios within each table.\n\n");
    md.append("## Reading event lines with a 384-d embedding (one thread)\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%,d lines, each with a real prompt and a random unit vector; %d timed rounds per reading"
                + " after one warm-up round, the readings alternating. JSON numbers are written as"
                + " `writeEvent` writes them (the shortest text that reads back to the same float)."
                + "%n%n",
            PARSE_LINES,
            PARSE_ROUNDS));
    table(md, "lines/s", parseRows);
    md.append("\n## Embedding traffic with repeats (the ingest job's shared embedder)\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%,d events over real prompts from %s; %.1f%% of the events repeat an earlier prompt"
                + " exactly (half of those one of the 50 most common, half one of the 500 most"
                + " recent). Each variant gets a fresh engine (`SharedEmbedders`, %s, one text per"
                + " model call) and the whole stream through `embedAsync` from 4 submitting threads,"
                + " as the async operator does; effective texts/s = events / wall time, every event"
                + " gets its vector. Rounds alternate between the variants (%d each).%n%n",
            EVENTS,
            String.join(", ", RepeatingTraffic.SOURCES),
            100
                * RepeatingTraffic.repeats(
                    RepeatingTraffic.stream(prompts, EVENTS, REPEAT_RATE, TRAFFIC_SEED)),
            EmbedderSettings.DEFAULT.threads() + " sessions",
            EMBED_ROUNDS));
    table(md, "texts/s", embedRows);
    md.append(
        "\nThe cache saves exactly the repeats' model runs, so on an otherwise idle machine the"
            + " ratio tends to events / model runs; the rest is the machine's load moving between"
            + " rounds.\n");
    Path out = Path.of("bench/results/throughput.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, md.toString());
    LOG.info("\n{}", md);
  }

  private static List<Row> parse(List<String> prompts) throws Exception {
    Random random = new Random(3);
    List<String> asJson = new ArrayList<>(PARSE_LINES);
    List<String> asBase64 = new ArrayList<>(PARSE_LINES);
    for (int i = 0; i < PARSE_LINES; i++) {
      float[] v = unitVector(random, ContractLimits.DEFAULT.embeddingDimension());
      QueryEvent e =
          new QueryEvent(
              "evt-" + i,
              "acct-" + (i % 100),
              Instant.parse("2026-10-05T00:00:19.291Z").plusMillis(i),
              prompts.get(i % prompts.size()),
              v,
              "key-1",
              "model-a",
              120,
              300,
              null,
              new QueryEvent.ClientInfo("203.0.113.7", "sdk/1.2"));
      String line = CODEC.writeEvent(e);
      asJson.add(line);
      asBase64.add(PrecomputedTraffic.base64Line(CODEC, e));
    }
    // All three readings must agree on every float before their speed means anything.
    for (int i = 0; i < 200; i++) {
      float[] previous = PreviousEventReading.embedding(asJson.get(i));
      if (!java.util.Arrays.equals(previous, embeddingOf(asJson.get(i)))
          || !java.util.Arrays.equals(previous, embeddingOf(asBase64.get(i)))) {
        throw new IllegalStateException("readings disagree on line " + i);
      }
    }
    double jsonBytes = asJson.stream().mapToInt(String::length).average().orElse(0);
    double b64Bytes = asBase64.stream().mapToInt(String::length).average().orElse(0);
    List<Variant> variants =
        List.of(
            new Variant(
                "previous reading (baseline): BigDecimal tree, JSON array",
                String.format(Locale.ROOT, "~%.0f characters per line", jsonBytes),
                asJson,
                PreviousEventReading::embedding),
            new Variant(
                "`ContractCodec.parseEvent`, JSON array (streamed)",
                "every v1 rule checked",
                asJson,
                ThroughputBenchmark::embeddingOf),
            new Variant(
                "`ContractCodec.parseEvent`, `embedding_b64`",
                String.format(Locale.ROOT, "~%.0f characters per line", b64Bytes),
                asBase64,
                ThroughputBenchmark::embeddingOf));
    long sink = 0;
    for (Variant v : variants) { // warm-up round
      for (String line : v.lines()) {
        sink += v.reading().read(line).length;
      }
    }
    List<List<Double>> rates = new ArrayList<>();
    variants.forEach(v -> rates.add(new ArrayList<>()));
    for (int r = 0; r < PARSE_ROUNDS; r++) { // rounds alternate, so the variants share the load
      for (int k = 0; k < variants.size(); k++) {
        Variant v = variants.get(k);
        long started = System.nanoTime();
        for (String line : v.lines()) {
          sink += v.reading().read(line).length;
        }
        double rate = v.lines().size() / ((System.nanoTime() - started) / 1e9);
        rates.get(k).add(rate);
        LOG.info("{}: {} lines/s", v.name(), String.format(Locale.ROOT, "%.0f", rate));
      }
    }
    if (sink == 0) {
      throw new IllegalStateException("nothing read");
    }
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < variants.size(); k++) {
      rows.add(new Row(variants.get(k).name(), variants.get(k).notes(), rates.get(k)));
    }
    return rows;
  }

  private static List<Row> embed(List<String> prompts) throws Exception {
    List<String> stream = RepeatingTraffic.stream(prompts, EVENTS, REPEAT_RATE, TRAFFIC_SEED);
    LOG.info(
        "embedding {} events, {} distinct ({} repeats)",
        stream.size(),
        new java.util.HashSet<>(stream).size(),
        String.format(Locale.ROOT, "%.1f%%", 100 * RepeatingTraffic.repeats(stream)));
    // Two settings, two engines: the cache cannot carry over from one variant to the other.
    EmbedderSettings uncached = EmbedderSettings.DEFAULT.withCacheEntries(0);
    EmbedderSettings cached = EmbedderSettings.DEFAULT;
    List<String> warmUp = prompts.subList(prompts.size() - 50, prompts.size());
    Map<EmbedderSettings, List<Timed>> timed =
        Rounds.alternate(
            EMBED_ROUNDS, List.of(uncached, cached), (s, round) -> embedRate(s, stream, warmUp));
    List<Double> without = timed.get(uncached).stream().map(Timed::rate).toList();
    List<Double> with = timed.get(cached).stream().map(Timed::rate).toList();
    String hits = timed.get(cached).get(EMBED_ROUNDS - 1).notes();
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("without the cache (baseline)", "every event runs the model", without));
    rows.add(new Row("with the cache (default, 20,000 texts)", hits, with));
    return rows;
  }

  private record Timed(double rate, String notes) {}

  private static Timed embedRate(
      EmbedderSettings settings, List<String> stream, List<String> warmUp) throws Exception {
    try (BatchingEmbedder embedder = SharedEmbedders.acquire(settings)) {
      for (String text : warmUp) { // not in the stream: warms the sessions, not the cache
        embedder.embedAsync(text).get();
      }
      long started = System.nanoTime();
      List<CompletableFuture<float[]>> futures = new ArrayList<>(stream.size());
      Thread[] submitters = new Thread[4];
      List<List<CompletableFuture<float[]>>> parts = new ArrayList<>();
      for (int s = 0; s < submitters.length; s++) {
        List<CompletableFuture<float[]>> part = new ArrayList<>();
        parts.add(part);
        int first = s;
        submitters[s] =
            new Thread(
                () -> {
                  for (int i = first; i < stream.size(); i += submitters.length) {
                    part.add(embedder.embedAsync(stream.get(i)));
                  }
                });
        submitters[s].start();
      }
      for (Thread t : submitters) {
        t.join();
      }
      parts.forEach(futures::addAll);
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
      double seconds = (System.nanoTime() - started) / 1e9;
      BatchingEmbedder.Stats stats = embedder.stats();
      long modelRuns = stats.texts() - warmUp.size();
      String notes =
          String.format(
              Locale.ROOT,
              "%,d model runs for %,d events (%.1f%% served from the cache)",
              modelRuns,
              stream.size(),
              100.0 * (stream.size() - modelRuns) / stream.size());
      double rate = stream.size() / seconds;
      LOG.info("{}: {} texts/s; {}", settings, String.format(Locale.ROOT, "%.1f", rate), notes);
      return new Timed(rate, notes);
    }
  }

  private interface Reading {
    float[] read(String line) throws Exception;
  }

  private record Variant(String name, String notes, List<String> lines, Reading reading) {}

  private static float[] embeddingOf(String line) {
    Parsed<QueryEvent> parsed = CODEC.parseEvent(line);
    if (parsed instanceof Parsed.Ok<QueryEvent> ok) {
      return ok.value().embedding();
    }
    throw new IllegalStateException("rejected: " + ((Parsed.Rejected<QueryEvent>) parsed).reason());
  }

  static float[] unitVector(Random random, int dim) {
    float[] v = new float[dim];
    double norm = 0;
    for (int i = 0; i < dim; i++) {
      v[i] = (float) random.nextGaussian();
      norm += (double) v[i] * v[i];
    }
    for (int i = 0; i < dim; i++) {
      v[i] = (float) (v[i] / Math.sqrt(norm));
    }
    return v;
  }

  /** A row: per-round rates, reported as mean, min, max and the ratio to the table's first row. */
  private record Row(String name, String notes, List<Double> rates) {
    double mean() {
      return rates.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }
  }

  private static void table(StringBuilder md, String unit, List<Row> rows) {
    double baseline = rows.get(0).mean();
    md.append("| variant | ").append(unit).append(" mean | min | max | vs baseline | notes |\n");
    md.append("|---|---:|---:|---:|---:|---|\n");
    for (Row r : rows) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %,.0f | %,.0f | %.2fx | %s |%n",
              r.name(),
              r.mean(),
              r.rates().stream().mapToDouble(Double::doubleValue).min().orElse(0),
              r.rates().stream().mapToDouble(Double::doubleValue).max().orElse(0),
              r.mean() / baseline,
              r.notes()));
    }
  }
}
