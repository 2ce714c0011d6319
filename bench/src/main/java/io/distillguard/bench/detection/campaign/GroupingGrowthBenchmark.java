package io.distillguard.bench.detection.campaign;

import com.sun.management.OperatingSystemMXBean;
import io.distillguard.actors.campaign.CampaignGrouping;
import io.distillguard.actors.campaign.GroupingBounds;
import io.distillguard.campaign.LinkHasher;
import io.distillguard.campaign.LinkKey;
import io.distillguard.campaign.LinkType;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Policy;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the cluster's campaign grouping (the {@link CampaignGrouping} singleton) spends on its
 * members' observations as one linked campaign grows to 1,000, 5,000, 10,000 and 25,000 accounts.
 * The campaign is a chain of accounts each sharing an address and a card with the two before it
 * (two independent kinds of link, every key held by three accounts, so none is a stop-word), so
 * each newcomer joins the group by two edges, as the grouping's join rule asks. At each size,
 * {@code --chunks} chunks of 100 observations of members already in the group (the steady state of
 * a large campaign) are asked of the grouping; per observation, the process's CPU and wall time.
 * The baseline in the same run is the smallest size: a cost per observation that does not grow with
 * the campaign keeps the ratio near 1.
 *
 * <p>Options: {@code --members N,N} (1000,5000,10000,25000), {@code --chunks N} (50), {@code --out
 * FILE} (bench/results/grouping-growth.md).
 */
public final class GroupingGrowthBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(GroupingGrowthBenchmark.class);
  private static final Duration ASK = Duration.ofMinutes(5);
  private static final long T0 = 1_791_158_400_000L;
  private static final int CHUNK = 100;
  private static final LinkHasher HASHER = LinkHasher.localDefault();
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private GroupingGrowthBenchmark() {}

  private record Row(int members, int grouped, double cpuMicros, double wallMicros) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = BenchArgs.options(args);
    int chunks = Integer.parseInt(o.getOrDefault("--chunks", "50"));
    Path out = Path.of(o.getOrDefault("--out", "bench/results/grouping-growth.md"));
    List<Integer> sizes = BenchArgs.members(o, "1000,5000,10000,25000");
    List<String> categories = io.distillguard.taxonomy.CapabilityTaxonomy.loadDefault().names();
    // The policy in force, parsed once (as the service's reloader holds it).
    Policy policy = Policy.loadDefault();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "grouping-growth");
    List<Row> rows = new ArrayList<>();
    try {
      ActorRef<CampaignGrouping.Command> grouping =
          system.systemActorOf(
              CampaignGrouping.create(() -> policy, categories, GroupingBounds.accounts(1_000_000)),
              "grouping",
              Props.empty());
      Random rng = new Random(7);
      int joined = 0;
      long seq = 0;
      for (int size : sizes) {
        while (joined < size) {
          List<AccountObservation> chunk = new ArrayList<>();
          for (int k = 0; k < CHUNK && joined < size; k++, joined++) {
            chunk.add(observation(joined, seq++));
          }
          observe(system, grouping, chunk);
        }
        int grouped = groupedMembers(system, grouping, joined);
        for (int w = 0; w < Math.max(1, chunks / 5); w++) {
          observe(system, grouping, steady(rng, joined, seq));
          seq += CHUNK;
        }
        long cpu = 0;
        long wall = 0;
        for (int c = 0; c < chunks; c++) {
          List<AccountObservation> chunk = steady(rng, joined, seq);
          seq += CHUNK;
          long cpu0 = OS.getProcessCpuTime();
          long t0 = System.nanoTime();
          observe(system, grouping, chunk);
          wall += System.nanoTime() - t0;
          cpu += OS.getProcessCpuTime() - cpu0;
        }
        double n = (double) chunks * CHUNK;
        Row row = new Row(size, grouped, cpu / 1e3 / n, wall / 1e3 / n);
        rows.add(row);
        LOG.info(
            String.format(
                Locale.ROOT,
                "%d accounts (%d in the campaign): %.1f µs CPU, %.1f µs wall per observation",
                size,
                grouped,
                row.cpuMicros(),
                row.wallMicros()));
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report(rows, chunks));
    LOG.info("wrote {}", out);
  }

  /** {@code CHUNK} observations of random accounts among the first {@code joined}. */
  private static List<AccountObservation> steady(Random rng, int joined, long seq) {
    List<AccountObservation> out = new ArrayList<>(CHUNK);
    for (int k = 0; k < CHUNK; k++) {
      out.add(observation(rng.nextInt(joined), seq + k));
    }
    return out;
  }

  private static void observe(
      ActorSystem<Void> system,
      ActorRef<CampaignGrouping.Command> grouping,
      List<AccountObservation> chunk)
      throws Exception {
    AskPattern.<CampaignGrouping.Command, CampaignGrouping.Routed>ask(
            grouping, r -> new CampaignGrouping.Observe(chunk, r), ASK, system.scheduler())
        .toCompletableFuture()
        .get(ASK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** How many of the first {@code joined} accounts are in account 0's campaign. */
  private static int groupedMembers(
      ActorSystem<Void> system, ActorRef<CampaignGrouping.Command> grouping, int joined)
      throws Exception {
    String campaign = campaignOf(system, grouping, account(0));
    if (campaign == null) {
      return 0;
    }
    int step = Math.max(1, joined / 200);
    int in = 0;
    int sampled = 0;
    for (int i = 0; i < joined; i += step) {
      sampled++;
      if (campaign.equals(campaignOf(system, grouping, account(i)))) {
        in++;
      }
    }
    return (int) Math.round(in * (double) joined / sampled);
  }

  private static String campaignOf(
      ActorSystem<Void> system, ActorRef<CampaignGrouping.Command> grouping, String account)
      throws Exception {
    return AskPattern.<CampaignGrouping.Command, CampaignGrouping.Membership>ask(
            grouping, r -> new CampaignGrouping.CampaignOf(account, r), ASK, system.scheduler())
        .toCompletableFuture()
        .get(ASK.toMillis(), TimeUnit.MILLISECONDS)
        .campaignId();
  }

  private static String account(int i) {
    return String.format(Locale.ROOT, "acct-%06d", i);
  }

  /**
   * An observation of account {@code i}: the address and the card of each of the (up to) three
   * triples it belongs to ({@code i-2..i}, {@code i-1..i+1}, {@code i..i+2}), so it shares both
   * with the two accounts before it and the two after it.
   */
  private static AccountObservation observation(int i, long seq) {
    List<String> keys = new ArrayList<>();
    String ip = null;
    for (int t = Math.max(0, i - 2); t <= i; t++) {
      String address = "10." + (t >> 16 & 0xFF) + "." + (t >> 8 & 0xFF) + "." + (t & 0xFF);
      LinkKey ipKey = HASHER.key(LinkType.IP, address);
      keys.add(ipKey.wire());
      keys.add(HASHER.key(LinkType.PAYMENT_FINGERPRINT, "card-" + t).wire());
      ip = ipKey.value();
    }
    String eventId = account(i) + "-e" + seq;
    return new AccountObservation(
            eventId,
            account(i),
            T0 + seq * 1_000L,
            "cat-" + (i % 20),
            0.8f,
            0.1f,
            eventId.hashCode() * 0x9E3779B97F4A7C15L,
            eventId.hashCode(),
            120,
            40,
            200,
            1.2,
            "key-" + account(i),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null)
        .withLinkKeys(keys.toArray(String[]::new), ip);
  }

  private static String report(List<Row> rows, int chunks) {
    Row base = rows.get(0);
    StringBuilder sb = new StringBuilder();
    sb.append("# Campaign grouping: a member's observation as one campaign grows\n\n");
    sb.append("Generated by `GroupingGrowthBenchmark` (`bench/run ")
        .append("detection.campaign.GroupingGrowthBenchmark`). The cluster's campaign grouping ")
        .append("(`CampaignGrouping`, as the singleton runs it) fed a chain of accounts, each ")
        .append("sharing an address and a card with the two before it (every key held by three ")
        .append("accounts), so they form one linked campaign; at each size, ")
        .append(chunks)
        .append(" chunks of ")
        .append(CHUNK)
        .append(" observations of accounts already in it, asked of the grouping one chunk at a ")
        .append("time. Per observation: the process's CPU and the wall time until the grouping ")
        .append("answered. Baseline in the same run: the smallest size.\n\n");
    sb.append(BenchArgs.runTable());
    sb.append(
        "| accounts | in the campaign (sampled) | CPU µs per observation | vs smallest |"
            + " wall µs per observation | vs smallest |\n");
    sb.append("|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %,d | %,d | %.1f | %.2fx | %.1f | %.2fx |%n",
              r.members(),
              r.grouped(),
              r.cpuMicros(),
              r.cpuMicros() / base.cpuMicros(),
              r.wallMicros(),
              r.wallMicros() / base.wallMicros()));
    }
    return sb.toString();
  }
}
