package io.distillguard.bench.throughput;

import com.typesafe.config.ConfigFactory;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.bench.Datasets;
import io.distillguard.bench.WorkDirs;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.embedding.SharedEmbedders;
import io.distillguard.launcher.local.LocalPipeline;
import io.distillguard.launcher.local.ReplayOutcome;
import io.distillguard.launcher.local.ReplayRequest;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The precomputed path end to end: {@code ./distillguard replay}'s pipeline ({@link
 * LocalPipeline#replay}, in this JVM) over events that already carry their 384-d embedding, so
 * nothing is embedded. Variants are actor-side settings given as system properties (the intake's
 * batching; the baseline records every observation on its own, as before batching), the form the
 * events carry their vector in (a JSON array, or {@code embedding_b64}) and whether the profiles
 * carry their stated use's vector ({@code stated_use_embedding_b64}: then nothing loads the model),
 * in alternating rounds, each on a fresh data dir.
 *
 * <p>Writes {@code bench/results/throughput-replay.md} (or {@code -Dbench.out}). Options (JVM
 * properties): {@code -Dbench.events=20000 -Dbench.accounts=50 -Dbench.rounds=1
 * -Dbench.parallelism=2 -Dbench.sharedPrompts=false -Dbench.prompts=2000
 * -Dbench.variants=per-observation,batched,batched-b64,batched-b64-vectors}.
 */
public final class ReplayThroughputBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(ReplayThroughputBenchmark.class);

  private static final int EVENTS = Integer.getInteger("bench.events", 20_000);
  private static final int ACCOUNTS = Integer.getInteger("bench.accounts", 50);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 1);
  private static final int PARALLELISM = Integer.getInteger("bench.parallelism", 2);

  /**
   * Whether every account draws from one pool of prompts. By default each account has its own
   * prompts, as separate apps do; with one pool, shared content links all accounts into one
   * campaign whose links the campaign path recomputes.
   */
  private static final boolean SHARED_PROMPTS = Boolean.getBoolean("bench.sharedPrompts");

  /**
   * Distinct prompts the events draw from (about: a dataset source may run short): by default
   * 2,000, so each is sent ~50 times in 100,000 events; as many as the events makes nearly every
   * prompt novel, as most real prompts are, with link keys (payload bands) of one account each.
   */
  private static final int PROMPTS = Integer.getInteger("bench.prompts", 2_000);

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  /**
   * A variant: actor-side settings as system properties ({@code key=value}), and whether the events
   * carry their vector as {@code embedding_b64} instead of a JSON array.
   */
  private record Variant(
      String key, String name, List<String> properties, boolean b64, boolean profileVectors) {}

  private static final List<Variant> ALL =
      List.of(
          new Variant(
              "per-observation",
              "per-observation (baseline): one command, one journal write per observation",
              List.of("distillguard.actors.intake.max-batch=1"),
              false,
              false),
          new Variant(
              "batched",
              "batched: one command and one journal write per account per chunk",
              List.of("distillguard.actors.intake.max-batch=1000"),
              false,
              false),
          new Variant(
              "batched-b64",
              "batched, the vector as `embedding_b64`",
              List.of("distillguard.actors.intake.max-batch=1000"),
              true,
              false),
          new Variant(
              "batched-b64-vectors",
              "batched, `embedding_b64`, profiles with `stated_use_embedding_b64`: no model",
              List.of("distillguard.actors.intake.max-batch=1000"),
              true,
              true));

  private ReplayThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<String> wanted =
        List.of(
            System.getProperty(
                    "bench.variants", "per-observation,batched,batched-b64,batched-b64-vectors")
                .split(","));
    List<Variant> variants = ALL.stream().filter(v -> wanted.contains(v.key())).toList();
    Path work = WorkDirs.temporary("replay-throughput");
    Path profiles = work.resolve("profiles.jsonl");
    Path profilesWithVectors = work.resolve("profiles-vectors.jsonl");
    Path events = work.resolve("events.jsonl");
    Path eventsB64 = work.resolve("events-b64.jsonl");
    writeTraffic(Datasets.locate(null), profiles, events, eventsB64);
    if (variants.stream().anyMatch(Variant::profileVectors)) {
      PrecomputedTraffic.writeProfiles(
          new ContractCodec(ContractLimits.DEFAULT),
          profilesWithVectors,
          ACCOUNTS,
          statedUseVector());
    }
    String loadBefore = Environment.loadAverage();

    List<List<Double>> rates = new ArrayList<>();
    List<List<Double>> steadyRates = new ArrayList<>();
    List<List<Double>> perCpuSecond = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    variants.forEach(
        v -> {
          rates.add(new ArrayList<>());
          steadyRates.add(new ArrayList<>());
          perCpuSecond.add(new ArrayList<>());
          notes.add("");
        });
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
      Rounds.alternate(
          ROUNDS,
          variants,
          (v, round) -> {
            int k = variants.indexOf(v);
            for (String p : v.properties()) {
              System.setProperty(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
            }
            ConfigFactory.invalidateCaches();
            Path dataDir = work.resolve("data-" + round + "-" + k);
            java.io.StringWriter progress = new java.io.StringWriter();
            long cpuBefore = Environment.processCpuNanos();
            long modelLoadsBefore = SharedEmbedders.modelsLoaded();
            int attemptsBefore = receiver.attempts().size();
            ReplayOutcome outcome =
                LocalPipeline.replay(
                    new ReplayRequest(
                        v.profileVectors() ? profilesWithVectors : profiles,
                        v.b64() ? eventsB64 : events,
                        dataDir,
                        receiver.url("/review").toString(),
                        SECRET,
                        Optional.empty(),
                        Optional.empty(),
                        PARALLELISM),
                    new PrintWriter(progress));
            if (!outcome.succeeded()) {
              throw new IllegalStateException(v.name() + ": " + outcome.failureMessage());
            }
            long counted = outcome.accounts().stream().mapToLong(a -> a.queriesObserved()).sum();
            if (counted != EVENTS) {
              throw new IllegalStateException(
                  v.name() + ": the accounts counted " + counted + " of " + EVENTS + " events");
            }
            double cpuSeconds = (Environment.processCpuNanos() - cpuBefore) / 1e9;
            long modelLoads = SharedEmbedders.modelsLoaded() - modelLoadsBefore;
            double rate = EVENTS / (outcome.elapsed().toMillis() / 1000.0);
            rates.get(k).add(rate);
            perCpuSecond.get(k).add(EVENTS / cpuSeconds);
            Steady steady = Steady.of(progress.toString(), EVENTS);
            JournalVolume journal = JournalVolume.of(dataDir);
            // What the replay decided, to compare across variants and code: the webhooks this
            // round's receiver got by type and level, and the accounts by final level.
            // (Attempts, not receiver.received(): webhook ids derive from the journal, so every
            // round sends the same ids, which the receiver records once.)
            List<WebhookReceiver.Attempt> attempts = receiver.attempts();
            java.util.Map<String, Long> webhooks =
                new java.util.TreeMap<>(
                    attempts.subList(attemptsBefore, attempts.size()).stream()
                        .filter(a -> a.answered() / 100 == 2)
                        .collect(
                            java.util.stream.Collectors.groupingBy(
                                ReplayThroughputBenchmark::typeAndLevel,
                                java.util.stream.Collectors.counting())));
            java.util.Map<String, Long> levels =
                new java.util.TreeMap<>(
                    outcome.accounts().stream()
                        .collect(
                            java.util.stream.Collectors.groupingBy(
                                a -> a.level().name(), java.util.stream.Collectors.counting())));
            steadyRates.get(k).add(steady.rate());
            notes.set(
                k,
                String.format(
                    Locale.ROOT,
                    "%,d observations counted; model loaded %d time(s); observing %.0f/s from the"
                        + " first to the last observation (%.0f s of %.0f s), best 3 s %.0f/s;"
                        + " webhooks %s, received %s; account levels %s; %s",
                    counted,
                    modelLoads,
                    steady.rate(),
                    steady.seconds(),
                    outcome.elapsed().toMillis() / 1000.0,
                    steady.peak(),
                    outcome.deliveries(),
                    webhooks,
                    levels,
                    journal.describe(counted)));
            LOG.info(
                "{}: {} events in {} s: {} events/s, {} per CPU-second; webhooks {}",
                v.name(),
                EVENTS,
                outcome.elapsed().toMillis() / 1000.0,
                String.format(Locale.ROOT, "%.0f", rate),
                String.format(Locale.ROOT, "%.0f", EVENTS / cpuSeconds),
                webhooks);
            return rate;
          });
    }

    StringBuilder md = new StringBuilder("# Throughput: replay with precomputed embeddings\n\n");
    md.append(Environment.header(loadBefore));
    md.append(
        String.format(
            Locale.ROOT,
            "`LocalPipeline.replay` (what `./distillguard replay` runs) in one JVM, ingest job"
                + " parallelism %d, over %,d events of %d accounts, each carrying a random 384-d"
                + " unit vector (a JSON array unless the variant says `embedding_b64`) and a real"
                + " prompt (%s, of ~%,d distinct ones), so no prompt is embedded; the profiles' stated use as text"
                + " (embedded by the job: it loads the model) unless the variant says"
                + " `stated_use_embedding_b64`; the default"
                + " policy, the H2 journal, the embedded vector store, a local webhook receiver."
                + " events/s = events / the replay's whole wall time (start-up, the job, the actors"
                + " and the deliveries settled), %d round(s) per variant, alternating.%n%n",
            PARALLELISM,
            EVENTS,
            ACCOUNTS,
            SHARED_PROMPTS
                ? "all accounts from one pool: one linked campaign"
                : "each account from its own prompts",
            PROMPTS,
            ROUNDS));
    md.append(
        "| variant | events/s mean | min | max | vs baseline | observing events/s | vs baseline"
            + " | events per CPU-second | vs baseline | notes |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    double cpuBaseline = mean(perCpuSecond.get(0));
    double baseline = mean(rates.get(0));
    double steadyBaseline = mean(steadyRates.get(0));
    for (int k = 0; k < variants.size(); k++) {
      List<Double> r = rates.get(k);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %,.0f | %,.0f | %.2fx | %,.0f | %.2fx | %,.0f | %.2fx | %s |%n",
              variants.get(k).name(),
              mean(r),
              r.stream().mapToDouble(Double::doubleValue).min().orElse(0),
              r.stream().mapToDouble(Double::doubleValue).max().orElse(0),
              mean(r) / baseline,
              mean(steadyRates.get(k)),
              mean(steadyRates.get(k)) / steadyBaseline,
              mean(perCpuSecond.get(k)),
              mean(perCpuSecond.get(k)) / cpuBaseline,
              notes.get(k)));
    }
    md.append(
        "\nObserving events/s: from the replay's progress lines (every 3 s, events taken by the"
            + " actor side), the events between the first line that shows any and the first that"
            + " shows all (or the last line), over that time: the pipeline's rate without its start-up and the"
            + " settling of deliveries. Events per CPU-second: events over the CPU time this"
            + " JVM spent during the replay (all threads, start-up included), which the other"
            + " load on the machine does not change: on 2 idle cores the pipeline cannot exceed"
            + " twice that rate.\n");
    Path out = Path.of(System.getProperty("bench.out", "bench/results/throughput-replay.md"));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, md.toString());
    LOG.info("\n{}", md);
    System.exit(0);
  }

  /**
   * A webhook's {@code type} and {@code data.level}, e.g. {@code account.review_requested REVIEW}.
   */
  private static String typeAndLevel(WebhookReceiver.Attempt a) {
    try {
      com.fasterxml.jackson.databind.JsonNode json =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(a.body());
      return json.path("type").asText() + " " + json.path("data").path("level").asText("-");
    } catch (java.io.IOException e) {
      return "unreadable";
    }
  }

  /** The rate between the first progress line with observations and the first with all. */
  private record Steady(double rate, double seconds, double peak) {
    private static final java.util.regex.Pattern LINE =
        java.util.regex.Pattern.compile("^\\s*([\\d.]+)s\\s+events observed\\s+([\\d,]+)");

    static Steady of(String progress, long total) {
      double firstT = -1;
      long firstN = 0;
      double lastT = -1;
      long lastN = 0;
      double prevT = 0;
      long prevN = 0;
      double peak = 0;
      for (String line : progress.split("\n")) {
        java.util.regex.Matcher m = LINE.matcher(line);
        if (!m.find()) {
          continue;
        }
        double t = Double.parseDouble(m.group(1));
        long n = Long.parseLong(m.group(2).replace(",", ""));
        if (n > 0 && firstT < 0) {
          firstT = t;
          firstN = n;
        }
        if (prevT > 0 && t > prevT) {
          peak = Math.max(peak, (n - prevN) / (t - prevT));
        }
        prevT = t;
        prevN = n;
        if (n > 0 && lastT < 0 && n >= total) {
          lastT = t;
          lastN = n;
        }
      }
      if (lastT < 0) { // the replay ended before a line showed every event: its last line
        lastT = prevT;
        lastN = prevN;
      }
      if (firstT < 0 || lastT <= firstT) {
        return new Steady(Double.NaN, 0, peak); // too short to see between two lines
      }
      return new Steady((lastN - firstN) / (lastT - firstT), lastT - firstT, peak);
    }
  }

  /**
   * The stated use's vector as an upstream service would send it: the model's, computed here once
   * before any replay (outside the shared embedders the replays count).
   */
  private static float[] statedUseVector() {
    try (MiniLmEmbedder model = MiniLmEmbedder.create(MiniLmEmbedder.REFERENCE_SETTINGS)) {
      return model.embed(PrecomputedTraffic.STATED_USE);
    }
  }

  private static int promptIndex(Random random, int prompts, int account) {
    if (SHARED_PROMPTS) {
      return random.nextInt(prompts);
    }
    int perAccount = Math.max(1, prompts / ACCOUNTS);
    return (account * perAccount + random.nextInt(perAccount)) % prompts;
  }

  private static double mean(List<Double> r) {
    return r.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  /**
   * Profiles and events: account i % accounts, 50 ms of event time apart, real prompts; the same
   * events twice, their vector as a JSON array in {@code events}, as {@code embedding_b64} in
   * {@code eventsB64}.
   */
  private static void writeTraffic(Path datasets, Path profiles, Path events, Path eventsB64)
      throws Exception {
    ContractCodec codec = new ContractCodec(ContractLimits.DEFAULT);
    PrecomputedTraffic.writeProfiles(codec, profiles, ACCOUNTS);
    List<String> prompts =
        RepeatingTraffic.distinctPrompts(datasets, PROMPTS / RepeatingTraffic.SOURCES.size() + 1);
    LOG.info("{} distinct prompts for {} events", prompts.size(), EVENTS);
    Random random = new Random(13);
    AtomicLong seq = new AtomicLong();
    try (BufferedWriter out = Files.newBufferedWriter(events);
        BufferedWriter outB64 = Files.newBufferedWriter(eventsB64)) {
      for (int i = 0; i < EVENTS; i++) {
        float[] v = ThroughputBenchmark.unitVector(random, 384);
        QueryEvent e =
            PrecomputedTraffic.event(
                "evt-" + seq.incrementAndGet(),
                i % ACCOUNTS,
                i,
                prompts.get(promptIndex(random, prompts.size(), i % ACCOUNTS)),
                v);
        String line = codec.writeEvent(e);
        out.write(line);
        out.newLine();
        outB64.write(PrecomputedTraffic.base64Line(codec, e));
        outB64.newLine();
      }
    }
  }
}
