package io.distillguard.bench.detection;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The campaign shapes the benchmark started with: fast and slow sweeps, ramps after verification,
 * half-diluted sweeps, broad claims and the two swarms, drawn from one {@link TrafficBuilder} and
 * its random source. Later, harder shapes live in {@link LaterShapes}.
 */
final class SweepShapes {

  private final TrafficBuilder b;

  SweepShapes(TrafficBuilder b) {
    this.b = b;
  }

  /** A broad sweep at machine rate or a high Poisson rate. */
  void fastSweep() {
    TrafficAccount a = b.posing(AccountKind.FAST_SWEEP, b.pick(AppDomain.LEGIT));
    int n = 500 + b.rng.nextInt(700);
    Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(b.rng.nextInt(24 * 60)));
    List<Instant> times =
        b.rng.nextBoolean()
            ? b.machineTimes(start, n, 1 + b.rng.nextDouble() * 3)
            : b.poissonTimes(start, n, 900 + b.rng.nextDouble() * 2000);
    b.sweep(a, times);
    a.emit();
  }

  /** A broad sweep inside every rate limit with human-like timing. */
  void slowSweep() {
    TrafficAccount a = b.posing(AccountKind.SLOW_SWEEP, b.pick(AppDomain.LEGIT));
    int n = 250 + b.rng.nextInt(350);
    Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(b.rng.nextInt(24 * 60)));
    // Well inside any rate limit: human-like gaps of one to three minutes on average.
    b.sweep(a, b.humanTimes(start, n, 60 + b.rng.nextDouble() * 120));
    a.emit();
  }

  /** A quiet in-domain account that turns into a broad sweep once verified. */
  void rampAfterVerification() {
    AppDomain d = b.pick(AppDomain.LEGIT);
    TrafficAccount a = b.posing(AccountKind.RAMP_AFTER_VERIFICATION, d);
    Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(b.rng.nextInt(12 * 60)));
    a.createdAt = start.minus(Duration.ofHours(2));
    int quiet = 30 + b.rng.nextInt(40);
    List<Instant> quietTimes =
        b.humanTimes(start, quiet, (24 + b.rng.nextDouble() * 24) * 3600 / quiet);
    quietTimes.forEach(t -> a.add(t, b.fromDomain(d)));
    Instant verified =
        quietTimes.get(quietTimes.size() - 1).plus(Duration.ofMinutes(10 + b.rng.nextInt(120)));
    a.verifiedAt = verified;
    int n = 400 + b.rng.nextInt(500);
    b.sweep(
        a, b.poissonTimes(verified.plus(Duration.ofMinutes(5)), n, 300 + b.rng.nextDouble() * 700));
    a.emit();
  }

  /** A broad sweep half diluted with prompts of the stated domain. */
  void dilutedSweep() {
    AppDomain d = b.pick(AppDomain.LEGIT);
    TrafficAccount a = b.posing(AccountKind.DILUTED_SWEEP, d);
    int n = 400 + b.rng.nextInt(500);
    Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(b.rng.nextInt(24 * 60)));
    Set<PromptPool.Row> seen = new HashSet<>();
    for (Instant t : b.poissonTimes(start, n, 100 + b.rng.nextDouble() * 300)) {
      a.add(t, b.rng.nextBoolean() ? b.fromDomain(d) : b.novel(seen, () -> b.mix.broad()));
    }
    a.emit();
  }

  /** A broad sweep from an account that claims a broad use. */
  void broadClaimSweep() {
    TrafficAccount a = new TrafficAccount(b);
    a.kind = AccountKind.BROAD_CLAIM_SWEEP;
    a.statedUse = b.pick(AppDomain.BROAD_STATED_USES);
    a.appName = b.pick(AppDomain.BROAD_APP_NAMES);
    a.historyTurns = b.rng.nextDouble() < 0.3 ? 1 + b.rng.nextInt(2) : 0;
    int n = 400 + b.rng.nextInt(500);
    Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(b.rng.nextInt(24 * 60)));
    List<Instant> times =
        b.rng.nextBoolean()
            ? b.poissonTimes(start, n, 100 + b.rng.nextDouble() * 500)
            : b.humanTimes(start, n, 30 + b.rng.nextDouble() * 90);
    b.sweep(a, times);
    a.emit();
  }

  /** Fresh accounts sharing infrastructure, each with a broad slice or a narrow matching one. */
  void swarm(AccountKind kind, int members) {
    String swarmId = b.newId("swarm");
    String prefix = CallerHabits.cloudPrefix(b.rng);
    List<String> ips = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ips.add(prefix + "." + (2 + b.rng.nextInt(250)));
    }
    String ua = CallerHabits.userAgent(b.rng);
    Instant created = TrafficBuilder.START.minus(Duration.ofHours(1 + b.rng.nextInt(12)));
    for (int m = 0; m < members; m++) {
      TrafficAccount a;
      NarrowSlices.Slice slice = null;
      if (kind == AccountKind.SWARM_NARROW) {
        slice = b.pick(b.mix.narrowSlices());
        a = new TrafficAccount(b);
        a.kind = kind;
        a.statedUse = slice.statedUse();
        a.appName = slice.appName();
        a.historyTurns = b.rng.nextDouble() < 0.3 ? 1 + b.rng.nextInt(2) : 0;
      } else {
        a = b.posing(kind, b.pick(AppDomain.LEGIT));
      }
      a.swarmId = swarmId;
      a.userAgent = ua;
      a.ips = List.copyOf(ips.subList(0, 1 + b.rng.nextInt(b.rng.nextDouble() < 0.6 ? 1 : 3)));
      java.util.Collections.shuffle(ips, b.rng);
      a.createdAt = created.plus(Duration.ofMinutes(b.rng.nextInt(120)));
      a.verifiedAt = a.createdAt.plus(Duration.ofMinutes(1 + b.rng.nextInt(30)));
      int n = 150 + b.rng.nextInt(200);
      Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(b.rng.nextInt(12 * 60)));
      List<Instant> times =
          b.rng.nextBoolean()
              ? b.poissonTimes(start, n, 30 + b.rng.nextDouble() * 90)
              : b.humanTimes(start, n, 30 + b.rng.nextDouble() * 60);
      if (slice != null) {
        List<PromptPool.Row> rows = slice.rows();
        Set<PromptPool.Row> seen = new HashSet<>();
        for (Instant t : times) {
          a.add(t, b.novel(seen, () -> rows.get(b.rng.nextInt(rows.size()))));
        }
      } else {
        b.sweep(a, times);
      }
      a.emit();
    }
  }
}
