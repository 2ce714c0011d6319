package io.distillguard.bench.detection;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.QueryEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Builds labelled benchmark traffic in the v1 contract from the real prompt datasets: legitimate
 * accounts of many shapes (domain apps, and the hard negatives: heavy domain apps, templated batch
 * pipelines at machine rate, broad general assistants, many small accounts of one organisation
 * behind one IP) and distillation campaigns of many shapes (fast and slow sweeps, ramps after
 * verification, diluted sweeps, broad claims, and swarms of fresh accounts with broad or narrow
 * slices). Deterministic for a given pool, scale and seed.
 *
 * <p>Nothing but the traffic itself tells the classes apart: every account, campaign or not, draws
 * its client software, IP block, model, system preamble, request template, conversation-history
 * habit and answer lengths from the same distributions, and campaigns pose as the app their stated
 * use describes. {@link LeakProbe} checks that none of those separates the labels by itself.
 *
 * <p>This class holds the run (kinds in a fixed order, one random source, the sampling helpers);
 * the shapes live in {@link LegitimateShapes}, {@link SweepShapes} and {@link LaterShapes}, the
 * per-account rendering into contract events in {@link TrafficAccount}. The written traffic is
 * pinned byte for byte by {@code TrafficBuilderIT}.
 */
public final class TrafficBuilder {

  /** When the traffic starts (event time). */
  public static final Instant START = Instant.parse("2026-10-05T00:00:00Z");

  /** The generated traffic: profiles and events (event-time order) and the labels apart. */
  public record Traffic(
      List<AccountProfile> profiles, List<QueryEvent> events, List<AccountLabel> labels) {

    /** Writes {@code profiles.jsonl}, {@code events.jsonl} and {@code labels.jsonl} into dir. */
    public Files write(Path dir) {
      ContractCodec codec = new ContractCodec(ContractLimits.DEFAULT);
      Files files =
          new Files(
              dir.resolve("profiles.jsonl"),
              dir.resolve("events.jsonl"),
              dir.resolve("labels.jsonl"));
      try {
        java.nio.file.Files.createDirectories(dir);
        try (BufferedWriter out =
            java.nio.file.Files.newBufferedWriter(files.profiles(), StandardCharsets.UTF_8)) {
          for (AccountProfile p : profiles) {
            out.write(codec.writeProfile(p));
            out.newLine();
          }
        }
        try (BufferedWriter out =
            java.nio.file.Files.newBufferedWriter(files.events(), StandardCharsets.UTF_8)) {
          for (QueryEvent e : events) {
            out.write(codec.writeEvent(e));
            out.newLine();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      AccountLabel.write(files.labels(), labels);
      return files;
    }

    /** Number of events per account. */
    public Map<String, Integer> queriesPerAccount() {
      Map<String, Integer> n = new HashMap<>();
      events.forEach(e -> n.merge(e.accountId(), 1, Integer::sum));
      return n;
    }
  }

  /** Where a {@link Traffic} was written. */
  public record Files(Path profiles, Path events, Path labels) {}

  private final double scale;
  final Random rng;
  final PromptMix mix;
  private final LegitimateShapes legitimate;
  private final SweepShapes sweeps;
  private final LaterShapes later;
  final List<AccountProfile> profiles = new ArrayList<>();
  final List<QueryEvent> events = new ArrayList<>();
  final List<AccountLabel> labels = new ArrayList<>();
  private final Set<String> usedIds = new HashSet<>();

  private TrafficBuilder(PromptPool pool, double scale, long seed) {
    this.scale = scale;
    this.rng = new Random(seed);
    this.mix = new PromptMix(pool, rng);
    this.legitimate = new LegitimateShapes(this);
    this.sweeps = new SweepShapes(this);
    this.later = new LaterShapes(this);
  }

  /**
   * Builds the traffic of one split.
   *
   * @param pool the prompts of the split
   * @param scale multiplies the number of accounts of every kind (1.0: ~45k events)
   * @param seed drives every random choice
   */
  public static Traffic build(PromptPool pool, double scale, long seed) {
    if (scale <= 0) {
      throw new IllegalArgumentException("scale must be > 0");
    }
    TrafficBuilder b = new TrafficBuilder(pool, scale, seed);
    b.generate();
    b.events.sort(Comparator.comparing(QueryEvent::timestamp).thenComparing(QueryEvent::eventId));
    return new Traffic(List.copyOf(b.profiles), List.copyOf(b.events), List.copyOf(b.labels));
  }

  private int count(int base) {
    return Math.max(1, (int) Math.round(base * scale));
  }

  private void generate() {
    for (int i = count(100); i > 0; i--) {
      legitimate.domainApp();
    }
    for (int i = count(4); i > 0; i--) {
      legitimate.heavyDomainApp();
    }
    for (int i = count(6); i > 0; i--) {
      legitimate.batchPipeline();
    }
    for (int i = count(10); i > 0; i--) {
      legitimate.generalAssistant();
    }
    for (int i = count(3); i > 0; i--) {
      legitimate.organisation();
    }
    for (int i = count(5); i > 0; i--) {
      sweeps.fastSweep();
      sweeps.slowSweep();
      sweeps.rampAfterVerification();
      sweeps.dilutedSweep();
      sweeps.broadClaimSweep();
    }
    sweeps.swarm(AccountKind.SWARM_BROAD, count(15));
    sweeps.swarm(AccountKind.SWARM_NARROW, count(15));
    // Kinds added later come last, so the accounts above stay the same for a given seed.
    for (int i = count(5); i > 0; i--) {
      later.diluted70Sweep();
      later.weekLongSlowSweep();
      later.preambleSweep();
      later.assistantMimicSweep();
    }
    for (int i = count(5); i > 0; i--) {
      later.orderedSweep();
    }
    for (int i = count(5); i > 0; i--) {
      later.employeeAssistant();
      later.multiDomainPlatform();
    }
  }

  // ---- account shapes -------------------------------------------------------------------------

  TrafficAccount legit(AccountKind kind, AppDomain domain) {
    TrafficAccount a = new TrafficAccount(this);
    a.kind = kind;
    a.statedUse = pick(domain.statedUses());
    a.appName = pick(domain.appNames());
    // Chat apps resend the conversation so far; retrieval apps append related help-centre
    // content after the user's message.
    a.historyTurns = rng.nextDouble() < 0.45 ? 1 + rng.nextInt(4) : 0;
    a.contextRows = rng.nextDouble() < 0.45 ? 3 + rng.nextInt(10) : 0;
    a.contextDomain = domain.name();
    return a;
  }

  /**
   * A campaign poses as an app of some domain: that app's stated use, name and request habits
   * (multi-turn harvesting and camouflage context too, if less often: a harvesting script gains
   * nothing from them).
   */
  TrafficAccount posing(AccountKind kind, AppDomain domain) {
    TrafficAccount a = legit(kind, domain);
    a.historyTurns = rng.nextDouble() < 0.3 ? 1 + rng.nextInt(2) : 0;
    a.contextRows = rng.nextDouble() < 0.3 ? 1 + rng.nextInt(4) : 0;
    return a;
  }

  /** A sweep seeks novelty: broad prompts, no prompt twice from the same account. */
  void sweep(TrafficAccount a, List<Instant> times) {
    Set<PromptPool.Row> seen = new HashSet<>();
    for (Instant t : times) {
      a.add(t, novel(seen, () -> mix.broad()));
    }
  }

  // ---- sampling -------------------------------------------------------------------------------

  PromptPool.Row fromDomain(AppDomain d) {
    return mix.fromDomain(d);
  }

  PromptPool.Row novel(Set<PromptPool.Row> seen, Supplier<PromptPool.Row> draw) {
    return mix.novel(seen, draw);
  }

  List<Instant> humanTimes(Instant start, int n, double meanGapSeconds) {
    return ArrivalTimes.human(rng, start, n, meanGapSeconds);
  }

  List<Instant> poissonTimes(Instant start, int n, double perHour) {
    return ArrivalTimes.poisson(rng, start, n, perHour);
  }

  List<Instant> machineTimes(Instant start, int n, double intervalSeconds) {
    return ArrivalTimes.machine(rng, start, n, intervalSeconds);
  }

  static AppDomain domain(String name) {
    return AppDomain.LEGIT.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
  }

  String randomIp() {
    return CallerHabits.cloudPrefix(rng) + "." + (2 + rng.nextInt(250));
  }

  String newId(String prefix) {
    while (true) {
      String id = prefix + "-" + Long.toHexString(rng.nextLong() & 0xffffffffffffL);
      if (usedIds.add(id)) {
        return id;
      }
    }
  }

  <T> T pick(List<T> list) {
    return list.get(rng.nextInt(list.size()));
  }
}
