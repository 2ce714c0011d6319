package io.distillguard.bench.detection;

import static io.distillguard.bench.detection.CallerHabits.MODELS;
import static io.distillguard.bench.detection.CallerHabits.PREAMBLES;
import static io.distillguard.bench.detection.CallerHabits.TEMPLATES;

import io.distillguard.bench.detection.CallerHabits.Preamble;
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
import java.time.Duration;
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
  private final LaterShapes later;
  private final List<AccountProfile> profiles = new ArrayList<>();
  private final List<QueryEvent> events = new ArrayList<>();
  private final List<AccountLabel> labels = new ArrayList<>();
  private final Set<String> usedIds = new HashSet<>();

  private TrafficBuilder(PromptPool pool, double scale, long seed) {
    this.scale = scale;
    this.rng = new Random(seed);
    this.mix = new PromptMix(pool, rng);
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
      domainApp();
    }
    for (int i = count(4); i > 0; i--) {
      heavyDomainApp();
    }
    for (int i = count(6); i > 0; i--) {
      batchPipeline();
    }
    for (int i = count(10); i > 0; i--) {
      generalAssistant();
    }
    for (int i = count(3); i > 0; i--) {
      organisation();
    }
    for (int i = count(5); i > 0; i--) {
      fastSweep();
      slowSweep();
      rampAfterVerification();
      dilutedSweep();
      broadClaimSweep();
    }
    swarm(AccountKind.SWARM_BROAD, count(15));
    swarm(AccountKind.SWARM_NARROW, count(15));
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

  /** Everything about how one account calls the API, drawn from the shared distributions. */
  final class Account {
    final String id = newId("acct");
    final String apiKey = newId("key");
    AccountKind kind;
    String swarmId;
    String statedUse;
    String appName;
    String orgId;
    String tier = pick(List.of("free", "pay-as-you-go", "pay-as-you-go", "enterprise"));
    Instant createdAt;
    Instant verifiedAt;
    String userAgent = userAgent();
    List<String> ips = egressIps();
    String model = pick(MODELS);
    Preamble preamble = rng.nextDouble() < 0.7 ? pick(PREAMBLES) : null;
    String template = rng.nextDouble() < 0.12 ? pick(TEMPLATES) : null;
    int historyTurns;
    int contextRows;
    String contextDomain;
    double repeatRate = 0.02 + rng.nextDouble() * 0.08;
    final List<Instant> times = new ArrayList<>();
    final List<PromptPool.Row> rows = new ArrayList<>();

    void add(Instant t, PromptPool.Row row) {
      times.add(t);
      rows.add(row);
    }

    void emit() {
      if (createdAt == null) {
        createdAt =
            times.isEmpty() ? START : times.get(0).minus(Duration.ofDays(3 + rng.nextInt(60)));
      }
      if (verifiedAt == null && kind != AccountKind.RAMP_AFTER_VERIFICATION) {
        verifiedAt =
            rng.nextDouble() < 0.85
                ? createdAt.plus(Duration.ofMinutes(5 + rng.nextInt(600)))
                : null;
      }
      profiles.add(new AccountProfile(id, statedUse, orgId, tier, createdAt, verifiedAt));
      labels.add(new AccountLabel(id, kind, swarmId, times.size(), statedUse));
      List<String> history = new ArrayList<>();
      for (int i = 0; i < times.size(); i++) {
        String user = rows.get(i).text();
        if (!history.isEmpty() && rng.nextDouble() < repeatRate) {
          // People and scripts alike resend a request now and then (retries, rephrasing).
          user = history.get(rng.nextInt(history.size()));
        }
        String prompt = render(user, history);
        history.add(user);
        if (history.size() > 50) {
          history.remove(0);
        }
        boolean detail = preamble != null ? preamble.asksForDetail() : rng.nextDouble() < 0.5;
        int completion =
            (int)
                Math.max(
                    1,
                    Math.round(Math.exp(Math.log(detail ? 380 : 90) + 0.6 * rng.nextGaussian())));
        events.add(
            new QueryEvent(
                newId("evt"),
                id,
                times.get(i),
                prompt,
                null,
                apiKey,
                model,
                Math.max(1, prompt.length() / 4),
                completion,
                null,
                new QueryEvent.ClientInfo(ips.get(rng.nextInt(ips.size())), userAgent)));
      }
    }

    private String render(String user, List<String> history) {
      StringBuilder sb = new StringBuilder();
      if (preamble != null) {
        sb.append(preamble.text().replace("{app}", appName)).append("\n\n");
      }
      if (historyTurns > 0 && !history.isEmpty()) {
        sb.append("Conversation so far:\n");
        for (int k = Math.max(0, history.size() - historyTurns); k < history.size(); k++) {
          String turn = history.get(k);
          sb.append("User: ").append(turn, 0, Math.min(turn.length(), 200)).append('\n');
        }
        sb.append("\nUser: ");
      }
      sb.append(template == null ? user : template.replace("{text}", user));
      if (contextRows > 0) {
        AppDomain d = domain(contextDomain);
        sb.append("\n\nContext:");
        int k = 1 + rng.nextInt(contextRows);
        for (int j = 0; j < k; j++) {
          sb.append("\n- ").append(fromDomain(d).text());
        }
      }
      return sb.toString();
    }
  }

  Account legit(AccountKind kind, AppDomain domain) {
    Account a = new Account();
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
  Account posing(AccountKind kind, AppDomain domain) {
    Account a = legit(kind, domain);
    a.historyTurns = rng.nextDouble() < 0.3 ? 1 + rng.nextInt(2) : 0;
    a.contextRows = rng.nextDouble() < 0.3 ? 1 + rng.nextInt(4) : 0;
    return a;
  }

  private void domainApp() {
    AppDomain d = pick(AppDomain.LEGIT);
    Account a = legit(AccountKind.DOMAIN_APP, d);
    int n = (int) clamp(Math.exp(Math.log(90) + 0.7 * rng.nextGaussian()), 30, 600);
    Instant start = START.plus(Duration.ofMinutes(rng.nextInt(24 * 60)));
    double spanHours = 8 + rng.nextDouble() * 40;
    List<Instant> times = humanTimes(start, n, spanHours * 3600 / n);
    times.forEach(t -> a.add(t, fromDomain(d)));
    a.emit();
  }

  private void heavyDomainApp() {
    AppDomain d = pick(AppDomain.LEGIT);
    Account a = legit(AccountKind.HEAVY_DOMAIN_APP, d);
    int n = 800 + rng.nextInt(700);
    Instant start = START.plus(Duration.ofMinutes(rng.nextInt(12 * 60)));
    List<Instant> times = poissonTimes(start, n, 150 + rng.nextDouble() * 250);
    times.forEach(t -> a.add(t, fromDomain(d)));
    a.emit();
  }

  private void batchPipeline() {
    AppDomain d = pick(AppDomain.LEGIT);
    Account a = legit(AccountKind.BATCH_PIPELINE, d);
    a.template = pick(TEMPLATES);
    a.historyTurns = 0;
    int n = 300 + rng.nextInt(600);
    Instant start = START.plus(Duration.ofMinutes(rng.nextInt(24 * 60)));
    List<Instant> times = machineTimes(start, n, 2 + rng.nextDouble() * 8);
    times.forEach(t -> a.add(t, fromDomain(d)));
    a.emit();
  }

  private void generalAssistant() {
    Account a = new Account();
    a.kind = AccountKind.GENERAL_ASSISTANT;
    a.statedUse = pick(AppDomain.BROAD_STATED_USES);
    a.appName = pick(AppDomain.BROAD_APP_NAMES);
    a.historyTurns = rng.nextDouble() < 0.6 ? 1 + rng.nextInt(4) : 0;
    int n = 100 + rng.nextInt(400);
    Instant start = START.plus(Duration.ofMinutes(rng.nextInt(24 * 60)));
    List<Instant> times = humanTimes(start, n, (12 + rng.nextDouble() * 36) * 3600 / n);
    for (Instant t : times) {
      // Employees ask everything: open-ended requests half the time, everyday domain questions
      // (their own banking, travel, health, code, maths ...) the other half.
      a.add(t, rng.nextDouble() < 0.5 ? mix.conversational() : fromDomain(pick(AppDomain.LEGIT)));
    }
    a.emit();
  }

  private void organisation() {
    String orgId = newId("org");
    String ip = randomIp();
    String ua = userAgent();
    Preamble preamble = rng.nextDouble() < 0.7 ? pick(PREAMBLES) : null;
    int members = 8 + rng.nextInt(8);
    for (int m = 0; m < members; m++) {
      AppDomain d = pick(AppDomain.LEGIT);
      Account a = legit(AccountKind.ORG_SMALL_ACCOUNT, d);
      a.orgId = orgId;
      a.ips = List.of(ip);
      a.userAgent = ua;
      a.preamble = preamble;
      int n = 15 + rng.nextInt(50);
      Instant start = START.plus(Duration.ofMinutes(rng.nextInt(24 * 60)));
      humanTimes(start, n, (4 + rng.nextDouble() * 20) * 3600 / n)
          .forEach(t -> a.add(t, fromDomain(d)));
      a.emit();
    }
  }

  private void fastSweep() {
    Account a = posing(AccountKind.FAST_SWEEP, pick(AppDomain.LEGIT));
    int n = 500 + rng.nextInt(700);
    Instant start = START.plus(Duration.ofMinutes(rng.nextInt(24 * 60)));
    List<Instant> times =
        rng.nextBoolean()
            ? machineTimes(start, n, 1 + rng.nextDouble() * 3)
            : poissonTimes(start, n, 900 + rng.nextDouble() * 2000);
    sweep(a, times);
    a.emit();
  }

  private void slowSweep() {
    Account a = posing(AccountKind.SLOW_SWEEP, pick(AppDomain.LEGIT));
    int n = 250 + rng.nextInt(350);
    Instant start = START.plus(Duration.ofMinutes(rng.nextInt(24 * 60)));
    // Well inside any rate limit: human-like gaps of one to three minutes on average.
    sweep(a, humanTimes(start, n, 60 + rng.nextDouble() * 120));
    a.emit();
  }

  private void rampAfterVerification() {
    AppDomain d = pick(AppDomain.LEGIT);
    Account a = posing(AccountKind.RAMP_AFTER_VERIFICATION, d);
    Instant start = START.plus(Duration.ofMinutes(rng.nextInt(12 * 60)));
    a.createdAt = start.minus(Duration.ofHours(2));
    int quiet = 30 + rng.nextInt(40);
    List<Instant> quietTimes =
        humanTimes(start, quiet, (24 + rng.nextDouble() * 24) * 3600 / quiet);
    quietTimes.forEach(t -> a.add(t, fromDomain(d)));
    Instant verified =
        quietTimes.get(quietTimes.size() - 1).plus(Duration.ofMinutes(10 + rng.nextInt(120)));
    a.verifiedAt = verified;
    int n = 400 + rng.nextInt(500);
    sweep(a, poissonTimes(verified.plus(Duration.ofMinutes(5)), n, 300 + rng.nextDouble() * 700));
    a.emit();
  }

  private void dilutedSweep() {
    AppDomain d = pick(AppDomain.LEGIT);
    Account a = posing(AccountKind.DILUTED_SWEEP, d);
    int n = 400 + rng.nextInt(500);
    Instant start = START.plus(Duration.ofMinutes(rng.nextInt(24 * 60)));
    Set<PromptPool.Row> seen = new HashSet<>();
    for (Instant t : poissonTimes(start, n, 100 + rng.nextDouble() * 300)) {
      a.add(t, rng.nextBoolean() ? fromDomain(d) : novel(seen, () -> mix.broad()));
    }
    a.emit();
  }

  private void broadClaimSweep() {
    Account a = new Account();
    a.kind = AccountKind.BROAD_CLAIM_SWEEP;
    a.statedUse = pick(AppDomain.BROAD_STATED_USES);
    a.appName = pick(AppDomain.BROAD_APP_NAMES);
    a.historyTurns = rng.nextDouble() < 0.3 ? 1 + rng.nextInt(2) : 0;
    int n = 400 + rng.nextInt(500);
    Instant start = START.plus(Duration.ofMinutes(rng.nextInt(24 * 60)));
    List<Instant> times =
        rng.nextBoolean()
            ? poissonTimes(start, n, 100 + rng.nextDouble() * 500)
            : humanTimes(start, n, 30 + rng.nextDouble() * 90);
    sweep(a, times);
    a.emit();
  }

  private void swarm(AccountKind kind, int members) {
    String swarmId = newId("swarm");
    String prefix = randomPrefix();
    List<String> ips = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ips.add(prefix + "." + (2 + rng.nextInt(250)));
    }
    String ua = userAgent();
    Instant created = START.minus(Duration.ofHours(1 + rng.nextInt(12)));
    for (int m = 0; m < members; m++) {
      Account a;
      NarrowSlices.Slice slice = null;
      if (kind == AccountKind.SWARM_NARROW) {
        slice = pick(mix.narrowSlices());
        a = new Account();
        a.kind = kind;
        a.statedUse = slice.statedUse();
        a.appName = slice.appName();
        a.historyTurns = rng.nextDouble() < 0.3 ? 1 + rng.nextInt(2) : 0;
      } else {
        a = posing(kind, pick(AppDomain.LEGIT));
      }
      a.swarmId = swarmId;
      a.userAgent = ua;
      a.ips = List.copyOf(ips.subList(0, 1 + rng.nextInt(rng.nextDouble() < 0.6 ? 1 : 3)));
      java.util.Collections.shuffle(ips, rng);
      a.createdAt = created.plus(Duration.ofMinutes(rng.nextInt(120)));
      a.verifiedAt = a.createdAt.plus(Duration.ofMinutes(1 + rng.nextInt(30)));
      int n = 150 + rng.nextInt(200);
      Instant start = START.plus(Duration.ofMinutes(rng.nextInt(12 * 60)));
      List<Instant> times =
          rng.nextBoolean()
              ? poissonTimes(start, n, 30 + rng.nextDouble() * 90)
              : humanTimes(start, n, 30 + rng.nextDouble() * 60);
      if (slice != null) {
        List<PromptPool.Row> rows = slice.rows();
        Set<PromptPool.Row> seen = new HashSet<>();
        for (Instant t : times) {
          a.add(t, novel(seen, () -> rows.get(rng.nextInt(rows.size()))));
        }
      } else {
        sweep(a, times);
      }
      a.emit();
    }
  }

  /** A sweep seeks novelty: broad prompts, no prompt twice from the same account. */
  void sweep(Account a, List<Instant> times) {
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

  private List<Instant> machineTimes(Instant start, int n, double intervalSeconds) {
    return ArrivalTimes.machine(rng, start, n, intervalSeconds);
  }

  private String randomPrefix() {
    return CallerHabits.cloudPrefix(rng);
  }

  private List<String> egressIps() {
    return CallerHabits.egressIps(rng);
  }

  private static AppDomain domain(String name) {
    return AppDomain.LEGIT.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
  }

  private String randomIp() {
    return randomPrefix() + "." + (2 + rng.nextInt(250));
  }

  private String newId(String prefix) {
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

  private String userAgent() {
    return CallerHabits.userAgent(rng);
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
