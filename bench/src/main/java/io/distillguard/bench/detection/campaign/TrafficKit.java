package io.distillguard.bench.detection.campaign;

import io.distillguard.bench.detection.AppDomain;
import io.distillguard.bench.detection.NarrowSlices;
import io.distillguard.bench.detection.PromptPool;
import io.distillguard.bench.detection.TrafficBuilder;
import io.distillguard.contract.QueryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What every campaign and hard-negative shape draws from: the split's prompts, one random source,
 * unique ids, and the distributions of request metadata and registration data (addresses, client
 * software, email domains, payment fingerprints). Collects the accounts' output.
 */
final class TrafficKit {

  /** Client software of server-side API callers, with weights (the detection traffic's mix). */
  static final List<String> COMMON_USER_AGENTS =
      List.of(
          "openai-python/1.54.4",
          "openai-python/1.52.0",
          "OpenAI/NodeJS/4.73.0",
          "langchain-core/0.3.21",
          "python-httpx/0.27.2",
          "Go-http-client/2.0",
          "okhttp/4.12.0",
          "curl/8.5.0");

  private static final double[] COMMON_USER_AGENT_WEIGHTS = {30, 15, 18, 10, 10, 7, 6, 4};

  /** First octets of cloud providers' address space. */
  private static final int[] CLOUD_FIRST_OCTETS = {3, 13, 18, 20, 34, 35, 44, 52, 54, 104, 137};

  /** First octets of consumer ISPs' address space (where residential proxies exit). */
  private static final int[] RESIDENTIAL_FIRST_OCTETS = {
    24, 47, 50, 66, 67, 68, 69, 70, 71, 73, 75, 76, 86, 90, 92, 98, 99, 108, 174, 184, 187, 201
  };

  /** Webmail domains: shared by millions of accounts, worth nothing as a link. */
  static final List<String> WEBMAIL = List.of("gmail.com", "outlook.com", "yahoo.com");

  private static final double[] WEBMAIL_WEIGHTS = {70, 20, 10};

  private static final List<String> MODELS = List.of("dg-large-2026-09", "dg-small-2026-09");

  final Random rng;
  final PromptPool pool;
  final List<NarrowSlices.Slice> slices;
  private final Map<String, List<PromptPool.Row>> domainRows = new LinkedHashMap<>();
  private final Set<String> usedIds;
  final List<RegisteredProfile> profiles = new ArrayList<>();
  final List<QueryEvent> events = new ArrayList<>();
  final List<CampaignLabel> labels = new ArrayList<>();

  TrafficKit(PromptPool pool, long seed, Set<String> idsTaken) {
    this.pool = pool;
    this.rng = new Random(seed);
    this.usedIds = new HashSet<>(idsTaken);
    this.slices = NarrowSlices.of(pool);
    for (AppDomain d : AppDomain.LEGIT) {
      List<PromptPool.Row> rows = new ArrayList<>();
      d.sources().forEach(s -> rows.addAll(pool.select(s.source(), s.domains())));
      domainRows.put(d.name(), rows);
    }
  }

  // ---- ids and draws ---------------------------------------------------------------------------

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

  int between(int lo, int hiInclusive) {
    return lo + rng.nextInt(hiInclusive - lo + 1);
  }

  double uniform(double lo, double hi) {
    return lo + rng.nextDouble() * (hi - lo);
  }

  boolean chance(double p) {
    return rng.nextDouble() < p;
  }

  <T> T weighted(List<T> items, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = rng.nextDouble() * total;
    for (int i = 0; i < items.size(); i++) {
      x -= weights[i];
      if (x <= 0) {
        return items.get(i);
      }
    }
    return items.get(items.size() - 1);
  }

  /** A moment some days before the traffic starts, at any time of day. */
  Instant daysBefore(int lo, int hi) {
    return TrafficBuilder.START
        .minus(Duration.ofDays(between(lo, hi)))
        .minusSeconds(between(0, 86399));
  }

  // ---- prompts ---------------------------------------------------------------------------------

  PromptPool.Row fromDomain(AppDomain d) {
    List<PromptPool.Row> rows = domainRows.get(d.name());
    return rows.get(rng.nextInt(rows.size()));
  }

  /** A row the account has not sent yet (a sweep seeks novelty), after a few tries any row. */
  PromptPool.Row novel(Set<PromptPool.Row> seen, Supplier<PromptPool.Row> draw) {
    for (int attempt = 0; attempt < 20; attempt++) {
      PromptPool.Row r = draw.get();
      if (seen.add(r)) {
        return r;
      }
    }
    return draw.get();
  }

  /** A random row of one of the given slices. */
  PromptPool.Row fromSlices(List<NarrowSlices.Slice> of) {
    List<PromptPool.Row> rows = pick(of).rows();
    return rows.get(rng.nextInt(rows.size()));
  }

  /** The slices of mmlu subjects, maths, code and writing: the courses students take. */
  List<NarrowSlices.Slice> courseSlices() {
    return slices.stream().filter(s -> !s.statedUse().contains("classif")).toList();
  }

  String model() {
    return pick(MODELS);
  }

  // ---- request metadata ------------------------------------------------------------------------

  String commonUserAgent() {
    return weighted(COMMON_USER_AGENTS, COMMON_USER_AGENT_WEIGHTS);
  }

  /** A client string of one's own: an SDK or a browser at some version. */
  String distinctUserAgent() {
    return switch (rng.nextInt(4)) {
      case 0 -> "openai-python/1." + between(20, 56) + "." + between(0, 9);
      case 1 -> "OpenAI/NodeJS/4." + between(20, 75) + "." + between(0, 9);
      case 2 -> "python-httpx/0." + between(23, 28) + "." + between(0, 9);
      default ->
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
              + " Chrome/1"
              + between(18, 31)
              + ".0."
              + between(5000, 6999)
              + "."
              + between(10, 199)
              + " Safari/537.36";
    };
  }

  String cloudPrefix() {
    return CLOUD_FIRST_OCTETS[rng.nextInt(CLOUD_FIRST_OCTETS.length)]
        + "."
        + rng.nextInt(256)
        + "."
        + rng.nextInt(256);
  }

  String cloudIp() {
    return cloudPrefix() + "." + between(2, 251);
  }

  String inPrefix(String prefix) {
    return prefix + "." + between(2, 251);
  }

  String residentialIp() {
    return RESIDENTIAL_FIRST_OCTETS[rng.nextInt(RESIDENTIAL_FIRST_OCTETS.length)]
        + "."
        + rng.nextInt(256)
        + "."
        + rng.nextInt(256)
        + "."
        + between(2, 251);
  }

  /** A residential proxy exit that sticks for a session of 10 to 40 calls, then rotates. */
  Supplier<String> rotatingResidential() {
    return new Supplier<>() {
      String current = residentialIp();
      int left = between(10, 40);

      @Override
      public String get() {
        if (left-- <= 0) {
          current = residentialIp();
          left = between(10, 40);
        }
        return current;
      }
    };
  }

  /** One of a fixed set of addresses per call. */
  Supplier<String> oneOf(List<String> ips) {
    List<String> copy = List.copyOf(ips);
    return () -> copy.get(rng.nextInt(copy.size()));
  }

  /** One to three egress addresses of one server fleet, as most API callers have. */
  Supplier<String> ownFleet() {
    String prefix = cloudPrefix();
    int n = chance(0.6) ? 1 : between(2, 3);
    List<String> ips = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ips.add(inPrefix(prefix));
    }
    return oneOf(ips);
  }

  // ---- registration ----------------------------------------------------------------------------

  String webmail() {
    return weighted(WEBMAIL, WEBMAIL_WEIGHTS);
  }

  /** A company's own domain. */
  String companyDomain() {
    return pick(
            List.of(
                "northwind",
                "contoso",
                "fabrikam",
                "tailspin",
                "woodgrove",
                "litware",
                "adatum",
                "proseware",
                "lucerne",
                "wingtip"))
        + "-"
        + Integer.toHexString(rng.nextInt(0x10000))
        + pick(List.of(".com", ".io", ".de", ".co.uk", ".fr"));
  }

  /** A legitimate account's email domain: webmail for some, its company's for most. */
  String ownEmailDomain() {
    return chance(0.35) ? webmail() : companyDomain();
  }

  /** A payment method of one's own. */
  String paymentFingerprint() {
    return "pm_" + Long.toHexString(rng.nextLong() & 0xffffffffffffL);
  }
}
