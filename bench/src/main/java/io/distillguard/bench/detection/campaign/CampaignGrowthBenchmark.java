package io.distillguard.bench.detection.campaign;

import com.sun.management.OperatingSystemMXBean;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.LocalJournalSystem;
import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.campaign.CampaignBehaviors;
import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.bench.WorkDirs;
import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Policy;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a campaign entity spends on one intake chunk of member records as the campaign grows to the
 * size the 2026 campaigns ran at (~25,000 accounts): the real entity on the real journal (the
 * embedded H2 database of a local node, snapshots as configured), asked with {@link
 * CampaignEntity.RecordMembers} until each chunk is durable.
 *
 * <p>The campaign grows in chunks of 1,000 joining members between the measured sizes; at each
 * size, {@code --chunks} steady chunks of 100 records are timed: 20 members joining and 80 members
 * whose summaries grew by a quarter (so each is journaled, as a member's summary is every eighth of
 * its growth), each record standing for one observation, so a campaign is evaluated whenever its
 * members' observations since the last evaluation reach a quarter of its size ({@link
 * io.distillguard.campaign.EvaluationCadence}): the mean over the chunks includes those
 * evaluations. Per chunk: wall time until durable and the process's CPU time (every thread: the
 * entity, serialization, the journal and snapshot writes), and the latest snapshot's size. The
 * baseline in the same run is the smallest size: a per-chunk cost that does not grow with the
 * campaign keeps the ratio near 1.
 *
 * <p>Options: {@code --members N,N} (1000,5000,10000,25000), {@code --chunks N} (100), {@code --out
 * FILE} (bench/results/campaign-growth.md).
 */
public final class CampaignGrowthBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignGrowthBenchmark.class);
  private static final Duration ASK = Duration.ofMinutes(5);
  private static final int STEADY_JOINS = 20;
  private static final int STEADY_UPDATES = 80;
  private static final int GROWTH_CHUNK = 1000;
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private CampaignGrowthBenchmark() {}

  private record Row(
      int members,
      double wallMs,
      double cpuMs,
      long journalRows,
      long journalBytes,
      long snapshotBytes) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = BenchArgs.options(args);
    int chunks = Integer.parseInt(o.getOrDefault("--chunks", "100"));
    Path out = Path.of(o.getOrDefault("--out", "bench/results/campaign-growth.md"));
    List<Integer> sizes = BenchArgs.members(o, "1000,5000,10000,25000");
    int most = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
    Random rng = new Random(7);
    List<MemberSummary> pool =
        CampaignEvaluationBenchmark.members(most + (sizes.size() + 2) * chunks * STEADY_JOINS, rng);
    List<CampaignLink> links = CampaignEvaluationBenchmark.links(pool);

    // The policy in force, parsed once (as the service's reloader holds it).
    Policy policy = Policy.loadDefault();
    Path dir = WorkDirs.temporary("campaign-growth");
    ActorSettings settings = ActorSettings.defaults(dir);
    List<Row> rows = new ArrayList<>();
    try (StateDatabase db =
        StateDatabase.open(
            settings.effectiveJournalUrl(),
            settings.journal().user(),
            settings.journal().password())) {
      ActorSystem<Void> system = LocalJournalSystem.start(settings);
      try {
        ActorRef<CampaignEntity.Command> entity =
            system.systemActorOf(
                CampaignBehaviors.create("cmp-growth", () -> policy, 26, Clock.systemUTC()),
                "campaign-growth",
                Props.empty());
        Growth g = new Growth(system, entity, pool, links, rng);
        for (int size : sizes) {
          while (g.joined < size) {
            g.record(g.joining(Math.min(GROWTH_CHUNK, size - g.joined)), List.of());
          }
          // Warm at this size (the JIT at the first size: a third of the measured chunks).
          for (int w = 0, n = rows.isEmpty() ? Math.max(1, chunks / 3) : 1; w < n; w++) {
            g.record(g.joining(STEADY_JOINS), g.growing(STEADY_UPDATES));
          }
          long wall = 0;
          long cpu = 0;
          for (int c = 0; c < chunks; c++) {
            List<CampaignEntity.Member> joins = g.joining(STEADY_JOINS);
            List<CampaignEntity.Member> updates = g.growing(STEADY_UPDATES);
            long cpu0 = OS.getProcessCpuTime();
            long t0 = System.nanoTime();
            g.record(joins, updates);
            wall += System.nanoTime() - t0;
            cpu += OS.getProcessCpuTime() - cpu0;
          }
          Row row =
              new Row(
                  size,
                  wall / 1e6 / chunks,
                  cpu / 1e6 / chunks,
                  count(
                      db, "SELECT COUNT(*) FROM \"event_journal\" WHERE \"persistence_id\" LIKE ?"),
                  count(
                      db,
                      "SELECT SUM(LENGTH(\"event_payload\")) FROM \"event_journal\""
                          + " WHERE \"persistence_id\" LIKE ?"),
                  count(
                      db,
                      "SELECT MAX(LENGTH(\"snapshot_payload\")) FROM \"snapshot\""
                          + " WHERE \"persistence_id\" LIKE ?"));
          rows.add(row);
          LOG.info(
              String.format(
                  Locale.ROOT,
                  "%d members: %.1f ms per chunk until durable, %.1f ms CPU, snapshot %d bytes",
                  size,
                  row.wallMs(),
                  row.cpuMs(),
                  row.snapshotBytes()));
        }
      } finally {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
      }
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report(rows, chunks));
    LOG.info("wrote {}", out);
  }

  /** The campaign's members so far and how to make the next chunk's records. */
  private static final class Growth {
    final ActorSystem<Void> system;
    final ActorRef<CampaignEntity.Command> entity;
    final List<MemberSummary> pool;
    final Map<String, List<CampaignLink>> linksOf = new HashMap<>();
    final List<MemberSummary> current = new ArrayList<>();
    final Random rng;
    int joined;

    Growth(
        ActorSystem<Void> system,
        ActorRef<CampaignEntity.Command> entity,
        List<MemberSummary> pool,
        List<CampaignLink> links,
        Random rng) {
      this.system = system;
      this.entity = entity;
      this.pool = pool;
      this.rng = rng;
      for (CampaignLink l : links) {
        for (String m : l.members()) {
          linksOf.computeIfAbsent(m, k -> new ArrayList<>()).add(l);
        }
      }
    }

    List<CampaignEntity.Member> joining(int n) {
      List<CampaignEntity.Member> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        MemberSummary m = pool.get(joined++);
        current.add(m);
        out.add(new CampaignEntity.Member(m, linksOf.getOrDefault(m.accountId(), List.of())));
      }
      return out;
    }

    /** {@code n} distinct members whose queries grew by a quarter in their largest category. */
    List<CampaignEntity.Member> growing(int n) {
      Map<Integer, CampaignEntity.Member> out = new HashMap<>();
      while (out.size() < Math.min(n, current.size())) {
        int i = rng.nextInt(current.size());
        if (out.containsKey(i)) {
          continue;
        }
        MemberSummary m = current.get(i);
        MemberSummary grown = grown(m);
        current.set(i, grown);
        out.put(
            i, new CampaignEntity.Member(grown, linksOf.getOrDefault(m.accountId(), List.of())));
      }
      return List.copyOf(out.values());
    }

    void record(List<CampaignEntity.Member> joins, List<CampaignEntity.Member> updates)
        throws Exception {
      List<CampaignEntity.Member> all = new ArrayList<>(joins);
      all.addAll(updates);
      AskPattern.askWithStatus(
              entity,
              (ActorRef<org.apache.pekko.pattern.StatusReply<org.apache.pekko.Done>> r) ->
                  new CampaignEntity.RecordMembers(all, r),
              ASK,
              system.scheduler())
          .toCompletableFuture()
          .get(ASK.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static MemberSummary grown(MemberSummary m) {
    String top =
        m.categories().entrySet().stream()
            .max(Map.Entry.comparingByValue())
            .map(Map.Entry::getKey)
            .orElseThrow();
    long more = Math.max(1, m.queries() / 4);
    Map<String, Long> categories = new HashMap<>(m.categories());
    categories.merge(top, more, Long::sum);
    return new MemberSummary(
        m.accountId(),
        m.queries() + more,
        categories,
        m.firstSeenMillis(),
        m.lastSeenMillis() + 60_000,
        m.signupMillis(),
        m.expectedCategories(),
        m.orgId(),
        m.activeHours(),
        m.ownLevel(),
        m.categoryHours());
  }

  private static long count(StateDatabase db, String sql) {
    return db.transact(
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, "Campaign%");
            try (ResultSet r = s.executeQuery()) {
              return r.next() ? r.getLong(1) : 0L;
            }
          }
        });
  }

  private static String report(List<Row> rows, int chunks) {
    Row base = rows.get(0);
    StringBuilder sb = new StringBuilder();
    sb.append("# Campaign entity: one chunk of member records as the campaign grows\n\n");
    sb.append("Generated by `CampaignGrowthBenchmark` (`bench/run ")
        .append("detection.campaign.CampaignGrowthBenchmark`). The campaign entity on the ")
        .append("embedded journal of a local node (H2; snapshots as shipped), asked with ")
        .append("`RecordMembers` until each chunk is durable. At each size, the mean of ")
        .append(chunks)
        .append(" chunks of 100 records (")
        .append(STEADY_JOINS)
        .append(" members joining, ")
        .append(STEADY_UPDATES)
        .append(" whose summaries grew enough to be journaled; each record one observation, so ")
        .append("the mean includes the campaign's evaluations, one per quarter of its member ")
        .append("count in observations); members are the synthetic ")
        .append("summaries of `CampaignEvaluationBenchmark` (256 active hours each, one link ")
        .append("per 50 members). CPU is the whole process's (entity, serialization, journal and ")
        .append("snapshot writes). Members: the campaign's size when the measured chunks start ")
        .append("(each chunk adds ")
        .append(STEADY_JOINS)
        .append("). Baseline in the same run: the smallest size.\n\n");
    sb.append(BenchArgs.runTable());
    sb.append(
        "| members | ms per chunk until durable | vs smallest | CPU ms per chunk | vs smallest"
            + " | journal rows | journal bytes | largest snapshot bytes |\n");
    sb.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %,d | %.1f | %.2fx | %.1f | %.2fx | %,d | %,d | %,d |%n",
              r.members(),
              r.wallMs(),
              r.wallMs() / base.wallMs(),
              r.cpuMs(),
              r.cpuMs() / base.cpuMs(),
              r.journalRows(),
              r.journalBytes(),
              r.snapshotBytes()));
    }
    return sb.toString();
  }
}
