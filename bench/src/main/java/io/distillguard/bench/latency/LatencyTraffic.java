package io.distillguard.bench.latency;

import io.distillguard.observe.AccountObservation;
import java.util.List;
import java.util.Random;

/**
 * Observations as the ingest job sends them (precomputed: category, similarities, LSH cell and
 * template fingerprint already set, nothing to embed), from a fixed number of concurrently active
 * accounts. Each next observation belongs to an active account drawn at random; an account that has
 * sent its quota leaves and a new one takes its place, so accounts start and escalate throughout a
 * run rather than all at once. A share of the accounts are campaigns: they sweep the capability
 * categories at machine pace (2 s of event time apart, off their stated use) and the default policy
 * escalates them after ~50 queries; the others are apps that stay on one or two categories at human
 * pace (20-90 s apart). The shapes are those of {@code ServiceLogVolumeBenchmark}.
 *
 * <p>With {@code active} chosen as rate / per-account rate, a run at 100 events/s and one at 1,000
 * events/s see the same per-account traffic; only the load differs. Deterministic per seed. Not
 * thread-safe.
 */
public final class LatencyTraffic {

  /** One produced observation and the account's count it carries (1-based). */
  public record Next(AccountObservation observation, long count, boolean campaign) {}

  private static final long T0 = 1_791_158_400_000L; // 2026-10-05T00:00:00Z

  private final String prefix;
  private final List<String> categories;
  private final double campaignShare;
  private final Random random;
  private final Slot[] slots;
  private long accounts;

  private static final class Slot {
    String id;
    long serial;
    boolean campaign;
    long sent;
    long quota;
    long eventTime;
  }

  /**
   * @param prefix account id prefix (one per phase, so phases never share an account)
   * @param active accounts sending at any time
   * @param campaignShare share of accounts that are campaigns (0..1)
   * @param categories the taxonomy's category names
   */
  public LatencyTraffic(
      String prefix, int active, double campaignShare, List<String> categories, long seed) {
    this.prefix = prefix;
    this.categories = List.copyOf(categories);
    this.campaignShare = campaignShare;
    this.random = new Random(seed);
    this.slots = new Slot[active];
    for (int i = 0; i < active; i++) {
      slots[i] = new Slot();
      fresh(slots[i]);
    }
  }

  /** Accounts started so far. */
  public long accountsStarted() {
    return accounts;
  }

  /** The next observation to produce. */
  public Next next() {
    Slot s = slots[random.nextInt(slots.length)];
    s.sent++;
    long n = s.sent;
    int a = (int) s.serial;
    String category;
    if (s.campaign) {
      s.eventTime += 1_800 + random.nextInt(400);
      category = categories.get((int) ((n * 7 + a) % categories.size()));
    } else {
      s.eventTime += 20_000 + random.nextInt(70_000);
      category = categories.get((a + (n % 3 == 0 ? 1 : 0)) % categories.size());
    }
    AccountObservation o =
        new AccountObservation(
            s.id + "-e" + n,
            s.id,
            s.eventTime,
            category,
            0.8f,
            s.campaign ? 0.1f : 0.6f,
            s.campaign ? random.nextLong() : a * 31L + n % 5,
            s.campaign ? random.nextLong() : a,
            200,
            60,
            300,
            null,
            "key-" + a,
            "10." + (a / 250 % 250) + "." + (a % 250) + ".1",
            "client/1.0",
            "org-" + a,
            null,
            null,
            null,
            null,
            null);
    Next next = new Next(o, n, s.campaign);
    if (s.sent >= s.quota) {
      fresh(s);
    }
    return next;
  }

  private void fresh(Slot s) {
    s.serial = accounts++;
    s.campaign = random.nextDouble() < campaignShare;
    s.id = prefix + (s.campaign ? "-sweep-" : "-app-") + s.serial;
    s.sent = 0;
    s.quota = s.campaign ? 100 + random.nextInt(60) : 40 + random.nextInt(160);
    s.eventTime = T0 + random.nextInt(3_600_000);
  }
}
