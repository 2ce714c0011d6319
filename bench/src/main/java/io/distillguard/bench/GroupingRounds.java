package io.distillguard.bench;

import io.distillguard.campaign.CampaignDetector;
import io.distillguard.campaign.LinkKey;
import io.distillguard.campaign.LinkType;
import io.distillguard.policy.Policy;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The campaign grouping's work as {@link RulesBuildComparison} times it in each build of the rules
 * ({@code -Dbench.workload=grouping}): a grouping-only {@code CampaignDetector}, as the actor
 * side's singleton runs it, fed the link keys of a replay's shape: {@code accounts} accounts on one
 * address block and one client, each with its own address and API key, every query a novel prompt
 * with its 8 payload bands, 50 ms apart in event time. Most of those keys are seen by one account
 * only. Entered by reflection from another class loader, hence static and typed with JDK types
 * only.
 */
public final class GroupingRounds {

  private static final long START = 1_790_000_000_000L;
  private static final int BANDS = 8;

  private static List<String> categories;
  private static Policy policy;
  private static int accounts;
  private static int observations;
  // The last round's detector, held while its heap is measured.
  private static CampaignDetector held;

  private GroupingRounds() {}

  /** {@code observations} queries spread round-robin over {@code accounts} accounts. */
  public static void setup(int accounts, int observations) {
    GroupingRounds.categories = CapabilityTaxonomy.loadDefault().names();
    GroupingRounds.policy = Policy.loadDefault();
    GroupingRounds.accounts = accounts;
    GroupingRounds.observations = observations;
  }

  /**
   * One round from a fresh grouping: the nanoseconds it took, the observations it grouped, the heap
   * the grouping retains afterwards (bytes, after a full collection) and the link keys it tracks.
   */
  public static long[] round() {
    held = null;
    long before = usedAfterGc();
    CampaignDetector detector = new CampaignDetector(() -> policy, categories).groupingOnly();
    SplittableRandom random = new SplittableRandom(42);
    List<LinkKey> keys = new ArrayList<>(4 + BANDS);
    long start = System.nanoTime();
    for (int i = 0; i < observations; i++) {
      int account = i % accounts;
      keys.clear();
      keys.add(new LinkKey(LinkType.IP, hex(0x1000 + account)));
      keys.add(new LinkKey(LinkType.IP_PREFIX, hex(0x2000)));
      keys.add(new LinkKey(LinkType.USER_AGENT, hex(0x3000)));
      keys.add(new LinkKey(LinkType.API_KEY_PATTERN, hex(0x4000 + account)));
      for (int b = 0; b < BANDS; b++) {
        keys.add(new LinkKey(LinkType.PAYLOAD_MINHASH_BAND, hex(random.nextLong())));
      }
      detector.observe("acct-" + account, START + 50L * i, categories.get(i % 7), keys);
    }
    long took = System.nanoTime() - start;
    held = detector;
    long retained = usedAfterGc() - before;
    long tracked = detector.linkIndex().trackedKeys();
    held = null;
    return new long[] {took, observations, retained, tracked};
  }

  private static String hex(long v) {
    String s = Long.toHexString(v);
    return "0000000000000000".substring(s.length()) + s;
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
