package io.distillguard.bench.detection.campaign;

import io.distillguard.bench.Datasets;
import io.distillguard.bench.detection.PromptPool;
import io.distillguard.campaign.CampaignDetector;
import io.distillguard.campaign.LinkKey;
import io.distillguard.contract.QueryEvent;
import io.distillguard.detect.AccountDetector;
import io.distillguard.detect.DetectionState;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Policy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-thread speed of the campaign detector against the per-account detector on the same
 * enriched observations of one split (the tune split by default; its embeddings come from the
 * campaign benchmark's cache). Each round replays the split through {@link AccountDetector} (the
 * baseline), through {@link CampaignDetector} from the query events (link keys derived in the
 * replay: HMAC, scaffold, MinHash), and through {@link CampaignDetector} from keys derived
 * beforehand (what the actor service does: the ingest job carries the keys on each observation),
 * and, from the same keys, a detector that only groups, with each chunk's member records built as
 * the actor side's grouping singleton builds them ({@link Replay#grouping}). The best of {@code
 * --rounds} rounds is logged as events per second of the replaying thread's CPU time (the machine
 * may be shared) and as a ratio to the baseline.
 *
 * <p>Options: {@code --split tune|report|unseen} (tune), {@code --scale X} (0.15), {@code --seed N}
 * (1001), {@code --rounds N} (3), {@code --datasets DIR}, {@code --work DIR}, {@code --policy
 * FILE}, {@code --only account,events,keys,grouping} (which replays to time), {@code --labels FILE}
 * (write each account's kind and group, tab-separated, to read next to the detector's debug log of
 * the edges that join groups).
 */
public final class CampaignThroughputBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(CampaignThroughputBenchmark.class);

  private CampaignThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = BenchArgs.options(args);
    String name = o.getOrDefault("--split", "tune");
    Path datasets = Datasets.locate(o.get("--datasets"));
    Path work = Path.of(o.getOrDefault("--work", "bench/target/campaigns"));
    Policy policy =
        o.containsKey("--policy") ? Policy.load(Path.of(o.get("--policy"))) : Policy.loadDefault();
    PromptPool pool =
        PromptPool.load(
            datasets, name.equals("tune") ? PromptPool.Split.TUNE : PromptPool.Split.REPORT);
    PreparedSplit split =
        PreparedSplit.prepare(
            name,
            pool,
            Double.parseDouble(o.getOrDefault("--scale", "0.15")),
            Long.parseLong(o.getOrDefault("--seed", "1001")),
            work.resolve("embeddings"));
    if (o.containsKey("--labels")) {
      // For diagnostics: every account's kind and group, to read next to the detector's debug log.
      StringBuilder sb = new StringBuilder();
      for (CampaignLabel l : split.traffic().labels()) {
        sb.append(l.accountId()).append('\t').append(l.kind()).append('\t').append(l.groupId());
        sb.append('\n');
      }
      java.nio.file.Files.writeString(Path.of(o.get("--labels")), sb.toString());
    }
    int rounds = Integer.parseInt(o.getOrDefault("--rounds", "3"));
    Replay replay = new Replay(split);
    double account = Double.MAX_VALUE;
    double fromEvents = Double.MAX_VALUE;
    double fromKeys = Double.MAX_VALUE;
    double grouping = Double.MAX_VALUE;
    String only = o.getOrDefault("--only", "account,events,keys,grouping");
    for (int r = 0; r < rounds; r++) {
      if (only.contains("account")) {
        account = Math.min(account, replay.accountDetector(policy));
      }
      if (only.contains("events")) {
        fromEvents = Math.min(fromEvents, replay.campaignDetector(policy, false));
      }
      if (only.contains("keys")) {
        fromKeys = Math.min(fromKeys, replay.campaignDetector(policy, true));
      }
      if (only.contains("grouping")) {
        grouping = Math.min(grouping, replay.grouping(policy));
      }
    }
    int n = split.observations().size();
    LOG.info(
        String.format(
            Locale.ROOT,
            "split %s, %d events, best of %d rounds, one thread, per CPU second: AccountDetector %.0f events/s;"
                + " CampaignDetector from events %.0f events/s (%.2fx the baseline's time),"
                + " from carried keys %.0f events/s (%.2fx);"
                + " grouping only, as the actor side's grouping singleton, chunks of %d: %.0f events/s",
            name,
            n,
            rounds,
            n / account,
            n / fromEvents,
            fromEvents / account,
            n / fromKeys,
            fromKeys / account,
            CHUNK,
            n / grouping));
  }

  /** Observations per chunk of the grouping replay (the actor side's default intake batch). */
  static final int CHUNK = 1000;

  /** The split in replay order, with each event's keys derived once. */
  static final class Replay {
    private final PreparedSplit split;
    private final List<RegisteredProfile> profiles;
    private final Map<String, Long> profileAt = new HashMap<>();
    private List<List<LinkKey>> keys;

    Replay(PreparedSplit split) {
      this.split = split;
      Map<String, Long> firstQuery = new HashMap<>();
      for (QueryEvent e : split.traffic().events()) {
        firstQuery.putIfAbsent(e.accountId(), e.timestamp().toEpochMilli());
      }
      profiles = new ArrayList<>(split.traffic().profiles());
      for (RegisteredProfile p : profiles) {
        long created = p.profile().createdAt().toEpochMilli();
        profileAt.put(
            p.accountId(), Math.min(created, firstQuery.getOrDefault(p.accountId(), created) - 1));
      }
      profiles.sort(Comparator.comparing((RegisteredProfile p) -> profileAt.get(p.accountId())));
    }

    /** Seconds for the per-account detector over every observation. */
    double accountDetector(Policy policy) {
      AccountDetector detector = new AccountDetector(() -> policy, split.categories());
      Map<String, DetectionState> states = new HashMap<>();
      long t0 = cpuNanos();
      for (AccountObservation o : split.observations()) {
        detector.observe(states.computeIfAbsent(o.accountId(), k -> detector.newState()), o);
      }
      return (cpuNanos() - t0) / 1e9;
    }

    /**
     * Seconds for what the actor side's grouping singleton does with the split: a detector that
     * only groups ({@link CampaignDetector#groupingOnly()}) over the carried keys, and after each
     * chunk of {@link #CHUNK} observations, for each account of the chunk that is in a linked
     * campaign, its summary and its links in that campaign (the record its campaign entity gets).
     * The singleton's bookkeeping of durable campaign ids is not included.
     */
    double grouping(Policy policy) {
      CampaignDetector detector = new CampaignDetector(() -> policy, split.categories());
      detector.groupingOnly();
      return replay(detector, true, CHUNK);
    }

    /** Seconds for the campaign detector over the split (profiles at sign-up, then queries). */
    double campaignDetector(Policy policy, boolean carriedKeys) {
      CampaignDetector detector = new CampaignDetector(() -> policy, split.categories());
      return replay(detector, carriedKeys, 0);
    }

    private double replay(CampaignDetector detector, boolean carriedKeys, int chunk) {
      List<QueryEvent> events = split.traffic().events();
      if (carriedKeys && keys == null) {
        keys = new ArrayList<>(events.size());
        for (QueryEvent e : events) {
          keys.add(detector.extractor().fromQuery(e));
        }
      }
      int next = 0;
      Set<String> chunkAccounts = new LinkedHashSet<>();
      long sink = 0;
      long t0 = cpuNanos();
      for (int i = 0; i < events.size(); i++) {
        QueryEvent e = events.get(i);
        long now = e.timestamp().toEpochMilli();
        while (next < profiles.size() && profileAt.get(profiles.get(next).accountId()) <= now) {
          RegisteredProfile p = profiles.get(next++);
          detector.profile(
              CampaignDetectorRun.contractProfile(p),
              split.expectedCategories().get(p.accountId()),
              profileAt.get(p.accountId()));
        }
        String category = split.observations().get(i).category();
        if (carriedKeys) {
          detector.observe(e.accountId(), now, category, keys.get(i));
        } else {
          detector.observe(e, category);
        }
        if (chunk > 0) {
          chunkAccounts.add(e.accountId());
          if ((i + 1) % chunk == 0 || i == events.size() - 1) {
            for (String account : chunkAccounts) {
              Optional<String> campaign = detector.campaignOf(account);
              if (campaign.isPresent()) {
                sink += detector.memberSummary(account).map(m -> 1).orElse(0);
                sink += detector.linksOf(campaign.get(), account).size();
              }
            }
            chunkAccounts.clear();
          }
        }
      }
      double seconds = (cpuNanos() - t0) / 1e9;
      LOG.debug("records and links built: {}", sink);
      return seconds;
    }
  }

  /**
   * The replaying thread's CPU time: on a shared machine wall time measures the other load as much
   * as the detector.
   */
  static long cpuNanos() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }
}
