package io.distillguard.bench.detection;

import static io.distillguard.bench.detection.CallerHabits.PREAMBLES;
import static io.distillguard.bench.detection.CallerHabits.TEMPLATES;

import io.distillguard.bench.detection.CallerHabits.Preamble;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The legitimate account shapes the benchmark started with: domain apps and the hard negatives
 * (heavy domain apps, templated batch pipelines, general assistants, an organisation's small
 * accounts behind one IP), drawn from one {@link TrafficBuilder} and its random source.
 */
final class LegitimateShapes {

  private final TrafficBuilder b;

  LegitimateShapes(TrafficBuilder b) {
    this.b = b;
  }

  /** An app in one domain with human-paced traffic. */
  void domainApp() {
    AppDomain d = b.pick(AppDomain.LEGIT);
    TrafficAccount a = b.legit(AccountKind.DOMAIN_APP, d);
    int n = (int) clamp(Math.exp(Math.log(90) + 0.7 * b.rng.nextGaussian()), 30, 600);
    Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(b.rng.nextInt(24 * 60)));
    double spanHours = 8 + b.rng.nextDouble() * 40;
    List<Instant> times = b.humanTimes(start, n, spanHours * 3600 / n);
    times.forEach(t -> a.add(t, b.fromDomain(d)));
    a.emit();
  }

  /** A busy app in one domain: many users behind one account. */
  void heavyDomainApp() {
    AppDomain d = b.pick(AppDomain.LEGIT);
    TrafficAccount a = b.legit(AccountKind.HEAVY_DOMAIN_APP, d);
    int n = 800 + b.rng.nextInt(700);
    Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(b.rng.nextInt(12 * 60)));
    List<Instant> times = b.poissonTimes(start, n, 150 + b.rng.nextDouble() * 250);
    times.forEach(t -> a.add(t, b.fromDomain(d)));
    a.emit();
  }

  /** A templated batch job in one domain at machine rate. */
  void batchPipeline() {
    AppDomain d = b.pick(AppDomain.LEGIT);
    TrafficAccount a = b.legit(AccountKind.BATCH_PIPELINE, d);
    a.template = b.pick(TEMPLATES);
    a.historyTurns = 0;
    int n = 300 + b.rng.nextInt(600);
    Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(b.rng.nextInt(24 * 60)));
    List<Instant> times = b.machineTimes(start, n, 2 + b.rng.nextDouble() * 8);
    times.forEach(t -> a.add(t, b.fromDomain(d)));
    a.emit();
  }

  /** A broad general assistant whose stated use is broad. */
  void generalAssistant() {
    TrafficAccount a = new TrafficAccount(b);
    a.kind = AccountKind.GENERAL_ASSISTANT;
    a.statedUse = b.pick(AppDomain.BROAD_STATED_USES);
    a.appName = b.pick(AppDomain.BROAD_APP_NAMES);
    a.historyTurns = b.rng.nextDouble() < 0.6 ? 1 + b.rng.nextInt(4) : 0;
    int n = 100 + b.rng.nextInt(400);
    Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(b.rng.nextInt(24 * 60)));
    List<Instant> times = b.humanTimes(start, n, (12 + b.rng.nextDouble() * 36) * 3600 / n);
    for (Instant t : times) {
      // Employees ask everything: open-ended requests half the time, everyday domain questions
      // (their own banking, travel, health, code, maths ...) the other half.
      a.add(
          t,
          b.rng.nextDouble() < 0.5
              ? b.mix.conversational()
              : b.fromDomain(b.pick(AppDomain.LEGIT)));
    }
    a.emit();
  }

  /** Many small accounts of one organisation behind one IP, one client and one preamble. */
  void organisation() {
    String orgId = b.newId("org");
    String ip = b.randomIp();
    String ua = CallerHabits.userAgent(b.rng);
    Preamble preamble = b.rng.nextDouble() < 0.7 ? b.pick(PREAMBLES) : null;
    int members = 8 + b.rng.nextInt(8);
    for (int m = 0; m < members; m++) {
      AppDomain d = b.pick(AppDomain.LEGIT);
      TrafficAccount a = b.legit(AccountKind.ORG_SMALL_ACCOUNT, d);
      a.orgId = orgId;
      a.ips = List.of(ip);
      a.userAgent = ua;
      a.preamble = preamble;
      int n = 15 + b.rng.nextInt(50);
      Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(b.rng.nextInt(24 * 60)));
      b.humanTimes(start, n, (4 + b.rng.nextDouble() * 20) * 3600 / n)
          .forEach(t -> a.add(t, b.fromDomain(d)));
      a.emit();
    }
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
