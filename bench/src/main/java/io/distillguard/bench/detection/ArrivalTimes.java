package io.distillguard.bench.detection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Arrival-time shapes of benchmark traffic: human-paced, independent (Poisson), scheduled. */
public final class ArrivalTimes {

  private ArrivalTimes() {}

  /** Bursty human-paced arrivals: log-normal gaps with the given mean, quiet at night. */
  public static List<Instant> human(Random rng, Instant start, int n, double meanGapSeconds) {
    List<Instant> out = new ArrayList<>(n);
    double sigma = 1.1;
    double mu = Math.log(meanGapSeconds) - sigma * sigma / 2;
    double t = start.getEpochSecond() + rng.nextDouble();
    for (int i = 0; i < n; i++) {
      t += Math.exp(mu + sigma * rng.nextGaussian());
      int hour = (int) ((t / 3600) % 24);
      if (hour >= 2 && hour < 6 && rng.nextDouble() < 0.7) {
        t += (6 - hour) * 3600.0 * rng.nextDouble();
      }
      out.add(Instant.ofEpochMilli((long) (t * 1000)));
    }
    return out;
  }

  /** Independent arrivals (many users, or parallel workers) at the given hourly rate. */
  public static List<Instant> poisson(Random rng, Instant start, int n, double perHour) {
    List<Instant> out = new ArrayList<>(n);
    double t = start.toEpochMilli() / 1000.0;
    for (int i = 0; i < n; i++) {
      t += -Math.log(1 - rng.nextDouble()) * 3600 / perHour;
      out.add(Instant.ofEpochMilli((long) (t * 1000)));
    }
    return out;
  }

  /** A scheduler firing at a fixed interval with a little jitter. */
  public static List<Instant> machine(Random rng, Instant start, int n, double intervalSeconds) {
    List<Instant> out = new ArrayList<>(n);
    double t = start.toEpochMilli() / 1000.0;
    for (int i = 0; i < n; i++) {
      t += intervalSeconds * Math.max(0.5, 1 + 0.03 * rng.nextGaussian());
      out.add(Instant.ofEpochMilli((long) (t * 1000)));
    }
    return out;
  }
}
