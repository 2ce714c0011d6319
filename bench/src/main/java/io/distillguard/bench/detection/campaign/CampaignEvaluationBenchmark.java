package io.distillguard.bench.detection.campaign;

import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.CampaignSignals;
import io.distillguard.campaign.CampaignState;
import io.distillguard.campaign.LinkKey;
import io.distillguard.campaign.LinkType;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Level;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one evaluation of a campaign's signals costs as the campaign grows to the size the 2026
 * campaigns ran at (~25,000 accounts). A campaign entity evaluates its signals once per intake
 * chunk of member records and once per {@code GET /v1/campaigns/{id}} ({@code current_signals}), so
 * the cost per evaluation bounds how fast a large campaign takes its members' records.
 *
 * <p>Members are synthetic summaries at the limits a summary carries (256 active hours, a handful
 * of categories, two expected ones, sign-ups in a burst) with one link per 50 members. Each size is
 * timed on this thread's CPU (the machine may be shared), best of {@code --rounds}. The baseline in
 * the same run is the same evaluation at the smallest size, per member: the ratio stays near 1
 * while the cost is linear in members.
 *
 * <p>Options: {@code --members N,N} (100,1000,10000,25000), {@code --rounds N} (5), {@code --out
 * FILE} (bench/results/campaign-evaluation.md).
 */
public final class CampaignEvaluationBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignEvaluationBenchmark.class);

  private static final long T0 = 1_791_158_400_000L;
  private static final int CATEGORIES = 30;
  private static final int HOURS = 256;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private CampaignEvaluationBenchmark() {}

  private record Row(
      int members, double evaluationMs, double untimedMs, double heapBytes, double hourlessBytes) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = BenchArgs.options(args);
    int rounds = Integer.parseInt(o.getOrDefault("--rounds", "5"));
    Path out = Path.of(o.getOrDefault("--out", "bench/results/campaign-evaluation.md"));
    List<Row> rows = new ArrayList<>();
    for (int n : BenchArgs.members(o, "100,1000,10000,25000")) {
      List<MemberSummary> members = members(n, new Random(n));
      List<MemberSummary> untimed = members.stream().map(m -> untimed(m)).toList();
      List<CampaignLink> links = links(members);
      double evaluation = best(rounds, () -> evaluate(members, links));
      double withoutHours = best(rounds, () -> evaluate(untimed, links));
      double heap = heapPerMember(() -> members(n, new Random(n)));
      double hourless =
          heapPerMember(() -> members(n, new Random(n)).stream().map(m -> hourless(m)).toList());
      rows.add(new Row(n, evaluation * 1e3, withoutHours * 1e3, heap, hourless));
      LOG.info(
          String.format(
              Locale.ROOT,
              "%d members: one evaluation %.2f ms CPU (%.2f ms without the mean hours); %.0f bytes"
                  + " of heap a member (%.0f without active hours)",
              n,
              evaluation * 1e3,
              withoutHours * 1e3,
              heap,
              hourless));
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report(rows, rounds));
    LOG.info("wrote {}", out);
  }

  private static double evaluate(List<MemberSummary> members, List<CampaignLink> links) {
    return CampaignState.signals(members, links, CATEGORIES, 0.25)
        .get(CampaignSignals.COMPLEMENTARITY);
  }

  /**
   * Seconds of this thread's CPU for one call, the best of {@code rounds}; each round repeats the
   * call until it has run 0.3 s and divides.
   */
  private static double best(int rounds, java.util.function.DoubleSupplier call) {
    double sink = call.getAsDouble(); // warm
    double best = Double.MAX_VALUE;
    for (int r = 0; r < rounds; r++) {
      long start = THREADS.getCurrentThreadCpuTime();
      int calls = 0;
      long spent;
      do {
        sink += call.getAsDouble();
        calls++;
        spent = THREADS.getCurrentThreadCpuTime() - start;
      } while (spent < 300_000_000L);
      best = Math.min(best, spent / 1e9 / calls);
    }
    if (sink == 42.4242) {
      LOG.trace("sink {}", sink);
    }
    return best;
  }

  /**
   * Heap bytes a member summary holds, estimated as the used heap after a full collection with the
   * summaries {@code make} returns held, less before, over their count.
   */
  private static double heapPerMember(java.util.function.Supplier<List<MemberSummary>> make) {
    long before = usedHeap();
    List<MemberSummary> held = make.get();
    long after = usedHeap();
    double perMember = (after - before) / (double) held.size();
    if (held.hashCode() == 42) {
      LOG.trace("held {}", held.size());
    }
    return perMember;
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  /** The same member without active hours: what the hours cost on the heap. */
  private static MemberSummary hourless(MemberSummary m) {
    return copy(m, List.of(), m.categoryHours());
  }

  /** {@code m} with other active hours and mean category hours. */
  private static MemberSummary copy(
      MemberSummary m, List<Long> activeHours, List<Integer> categoryHours) {
    return new MemberSummary(
        m.accountId(),
        m.queries(),
        m.categories(),
        m.firstSeenMillis(),
        m.lastSeenMillis(),
        m.signupMillis(),
        m.expectedCategories(),
        m.orgId(),
        activeHours,
        m.ownLevel(),
        categoryHours);
  }

  /** The mean hour of each category's queries, within the member's 30 days. */
  private static List<Integer> meanHours(int categories, Random rng) {
    List<Integer> out = new ArrayList<>(categories);
    for (int c = 0; c < categories; c++) {
      out.add(rng.nextInt(24 * 30));
    }
    return out;
  }

  static List<MemberSummary> members(int n, Random rng) {
    List<MemberSummary> out = new ArrayList<>(n);
    long firstHour = T0 / 3_600_000L;
    for (int i = 0; i < n; i++) {
      Map<String, Long> categories = new HashMap<>();
      long queries = 0;
      for (int c = 0, k = 3 + rng.nextInt(6); c < k; c++) {
        long q = 1 + rng.nextInt(60);
        categories.merge("cat-" + rng.nextInt(CATEGORIES), q, Long::sum);
        queries += q;
      }
      Set<String> expected = new HashSet<>();
      expected.add("cat-" + rng.nextInt(CATEGORIES / 2));
      expected.add("cat-" + (CATEGORIES / 2 + rng.nextInt(CATEGORIES / 2)));
      List<Long> hours = new ArrayList<>(HOURS);
      long h = firstHour + rng.nextInt(24 * 30);
      for (int k = 0; k < HOURS; k++) {
        h += 1 + rng.nextInt(4);
        hours.add(h);
      }
      out.add(
          new MemberSummary(
              String.format(Locale.ROOT, "acct-%06d", i),
              queries,
              categories,
              T0,
              T0 + 86_400_000L * 30,
              T0 - rng.nextInt(6 * 3_600_000),
              expected,
              null,
              hours,
              i % 10 == 0 ? Level.REVIEW : Level.OK,
              meanHours(categories.size(), rng)));
    }
    return out;
  }

  /** The same member without the mean hour of each category: nothing for topic_lockstep to read. */
  private static MemberSummary untimed(MemberSummary m) {
    return copy(m, m.activeHours(), List.of());
  }

  static List<CampaignLink> links(List<MemberSummary> members) {
    List<CampaignLink> out = new ArrayList<>();
    for (int from = 0; from < members.size(); from += 50) {
      Set<String> on = new HashSet<>();
      for (int i = from; i < Math.min(members.size(), from + 50); i++) {
        on.add(members.get(i).accountId());
      }
      LinkType type = from % 100 == 0 ? LinkType.IP_PREFIX : LinkType.SCAFFOLD;
      out.add(new CampaignLink(new LinkKey(type, Long.toHexString(from + 1L << 20)), 0.6, on));
    }
    return out;
  }

  private static String report(List<Row> rows, int rounds) {
    Row smallest = rows.get(0);
    double perMemberBase = smallest.evaluationMs() / smallest.members();
    StringBuilder sb = new StringBuilder();
    sb.append("# Campaign signal evaluation at campaign size\n\n");
    sb.append("Generated by `CampaignEvaluationBenchmark` (`bench/run ")
        .append("detection.campaign.CampaignEvaluationBenchmark`). One evaluation of a campaign's ")
        .append(
            "signals (`CampaignState.signals`: what a campaign entity computes once per intake ")
        .append("chunk of member records and once per `GET /v1/campaigns/{id}`) over synthetic ")
        .append("members at the limits a summary carries (256 active hours, 3-8 categories with ")
        .append("the mean hour of each, two expected ones), one link per 50 members; in the same ")
        .append("run, the same members without the mean hours (nothing for `topic_lockstep` to ")
        .append("read). CPU time of the measuring thread, best of ")
        .append(rounds)
        .append(" rounds. Heap a member: the used heap after a full collection with the ")
        .append("summaries held, less before, per member; in the same run, the same summaries ")
        .append("without active hours.\n\n");
    sb.append("| | |\n|---|---|\n");
    sb.append("| date | ").append(Instant.now()).append(" |\n");
    sb.append("| machine | ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores |\n");
    sb.append("| java | ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.version"))
        .append(" |\n\n");
    sb.append(
        "| members | one evaluation (ms) | per member (µs) | per member vs the smallest size |"
            + " without the mean hours (ms) | with vs without | heap a member (bytes) |"
            + " without active hours (bytes) |\n");
    sb.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      double perMember = r.evaluationMs() / r.members();
      sb.append(
          String.format(
              Locale.ROOT,
              "| %,d | %.2f | %.2f | %.2fx | %.2f | %.2fx | %,.0f | %,.0f |%n",
              r.members(),
              r.evaluationMs(),
              perMember * 1e3,
              perMember / perMemberBase,
              r.untimedMs(),
              r.evaluationMs() / r.untimedMs(),
              r.heapBytes(),
              r.hourlessBytes()));
    }
    return sb.toString();
  }
}
