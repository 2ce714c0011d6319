package io.distillguard.bench.detection;

import static io.distillguard.bench.detection.CallerHabits.PREAMBLES;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The account shapes added to the benchmark after the first ones (harder sweeps and the hard
 * negatives they called for), drawn from the same {@link TrafficBuilder} and its random source:
 * each kind is generated after every earlier one, so the earlier accounts of a seed never change.
 */
final class LaterShapes {

  private final TrafficBuilder b;

  LaterShapes(TrafficBuilder b) {
    this.b = b;
  }

  /** A general assistant used company-wide: broad like the others, at a team's volume. */
  void employeeAssistant() {
    TrafficAccount a = new TrafficAccount(b);
    a.kind = AccountKind.EMPLOYEE_ASSISTANT;
    a.statedUse = b.pick(AppDomain.AREA_STATED_USES);
    a.appName = b.pick(AppDomain.BROAD_APP_NAMES);
    a.historyTurns = b.rng.nextDouble() < 0.6 ? 1 + b.rng.nextInt(4) : 0;
    int n = 200 + b.rng.nextInt(500);
    Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(b.rng.nextInt(24 * 60)));
    for (Instant t : b.poissonTimes(start, n, 40 + b.rng.nextDouble() * 80)) {
      a.add(
          t,
          b.rng.nextDouble() < 0.5
              ? b.mix.conversational()
              : b.fromDomain(b.pick(AppDomain.LEGIT)));
    }
    a.emit();
  }

  /** One account behind the apps of two or three domains, each stated use named in its own. */
  void multiDomainPlatform() {
    List<AppDomain> domains = new ArrayList<>(AppDomain.LEGIT);
    java.util.Collections.shuffle(domains, b.rng);
    domains = domains.subList(0, 2 + b.rng.nextInt(2));
    TrafficAccount a = b.legit(AccountKind.MULTI_DOMAIN_PLATFORM, domains.get(0));
    StringBuilder use = new StringBuilder("Platform running our customers' assistants:");
    for (AppDomain d : domains) {
      use.append(' ').append(b.pick(d.statedUses()));
    }
    a.statedUse = use.toString();
    int n = 200 + b.rng.nextInt(600);
    Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(b.rng.nextInt(24 * 60)));
    for (Instant t : b.poissonTimes(start, n, 20 + b.rng.nextDouble() * 60)) {
      a.add(t, b.fromDomain(domains.get(b.rng.nextInt(domains.size()))));
    }
    a.emit();
  }

  void diluted70Sweep() {
    AppDomain d = b.pick(AppDomain.LEGIT);
    TrafficAccount a = b.posing(AccountKind.DILUTED_70_SWEEP, d);
    int n = 400 + b.rng.nextInt(600);
    Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(b.rng.nextInt(24 * 60)));
    Set<PromptPool.Row> seen = new HashSet<>();
    for (Instant t : b.humanTimes(start, n, 40 + b.rng.nextDouble() * 140)) {
      a.add(t, b.rng.nextDouble() < 0.7 ? b.fromDomain(d) : b.novel(seen, () -> b.mix.broad()));
    }
    a.emit();
  }

  void weekLongSlowSweep() {
    TrafficAccount a = b.posing(AccountKind.WEEK_LONG_SLOW_SWEEP, b.pick(AppDomain.LEGIT));
    double perHour = 5 + b.rng.nextDouble() * 15;
    int n = (int) Math.round(perHour * 24 * 7);
    Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(b.rng.nextInt(24 * 60)));
    // Independent gaps at a low rate, day and night: nothing about it is fast.
    b.sweep(a, b.poissonTimes(start, n, perHour));
    a.emit();
  }

  void preambleSweep() {
    AppDomain d = b.pick(AppDomain.LEGIT);
    TrafficAccount a = b.posing(AccountKind.PREAMBLE_SWEEP, d);
    a.preamble = b.pick(PREAMBLES);
    a.template = null;
    a.contextRows = b.rng.nextDouble() < 0.45 ? 3 + b.rng.nextInt(10) : 0;
    int n = 300 + b.rng.nextInt(500);
    Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(b.rng.nextInt(24 * 60)));
    b.sweep(a, b.humanTimes(start, n, 30 + b.rng.nextDouble() * 120));
    a.emit();
  }

  void assistantMimicSweep() {
    TrafficAccount a = new TrafficAccount(b);
    a.kind = AccountKind.ASSISTANT_MIMIC_SWEEP;
    a.statedUse = b.pick(AppDomain.BROAD_STATED_USES);
    a.appName = b.pick(AppDomain.BROAD_APP_NAMES);
    a.historyTurns = b.rng.nextDouble() < 0.6 ? 1 + b.rng.nextInt(4) : 0;
    int n = 300 + b.rng.nextInt(500);
    Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(b.rng.nextInt(24 * 60)));
    Set<PromptPool.Row> seen = new HashSet<>();
    for (Instant t : b.humanTimes(start, n, (12 + b.rng.nextDouble() * 36) * 3600 / n)) {
      double x = b.rng.nextDouble();
      a.add(
          t,
          x < 0.5
              ? b.novel(seen, () -> b.mix.broad())
              : x < 0.75 ? b.mix.conversational() : b.fromDomain(b.pick(AppDomain.LEGIT)));
    }
    a.emit();
  }

  /**
   * A sweep in systematic order: one subject at a time (10 to 30 prompts of it), each subject left
   * for good, at a human pace. Order is the only thing that sets it apart from a slow sweep.
   */
  void orderedSweep() {
    TrafficAccount a = b.posing(AccountKind.ORDERED_SWEEP, b.pick(AppDomain.LEGIT));
    int n = 300 + b.rng.nextInt(600);
    int perSubject = 10 + b.rng.nextInt(21);
    Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(b.rng.nextInt(24 * 60)));
    List<Instant> times = b.humanTimes(start, n, 30 + b.rng.nextDouble() * 150);
    List<PromptPool.Row> rows = b.mix.ordered(times.size(), perSubject);
    for (int i = 0; i < rows.size(); i++) {
      a.add(times.get(i), rows.get(i));
    }
    a.emit();
  }
}
