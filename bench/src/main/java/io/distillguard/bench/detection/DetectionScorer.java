package io.distillguard.bench.detection;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores one detector against the labels: which accounts it flagged (at REVIEW or above, for the
 * pipeline) and after how many of their queries. The same scoring serves the pipeline and the
 * baselines so the numbers stand side by side.
 */
public final class DetectionScorer {

  /**
   * The row of one account kind.
   *
   * @param kind the kind
   * @param accounts accounts of the kind
   * @param flagged how many were flagged
   * @param medianQueriesBeforeFlag median query count at the first flag, over flagged accounts
   * @param medianShareBeforeFlag median of that count over the account's traffic
   * @param withinBudget flagged within max(100 queries, 5% of the account's traffic)
   */
  public record KindRow(
      AccountKind kind,
      int accounts,
      int flagged,
      double medianQueriesBeforeFlag,
      double medianShareBeforeFlag,
      int withinBudget) {

    /** Share of the kind's accounts flagged. */
    public double rate() {
      return accounts == 0 ? 0 : (double) flagged / accounts;
    }
  }

  /** One swarm: members and how many of them were flagged. */
  public record SwarmRow(String swarmId, AccountKind kind, int members, int flagged) {}

  /**
   * A detector's score.
   *
   * @param detector its name
   * @param kinds one row per kind present
   * @param swarms one row per swarm
   * @param firstFlags per flagged account, the query count at its first flag
   */
  public record Score(
      String detector, List<KindRow> kinds, List<SwarmRow> swarms, Map<String, Long> firstFlags) {

    private int sum(boolean campaign, Boolean hard, boolean swarm, boolean flaggedOnly) {
      int n = 0;
      for (KindRow r : kinds) {
        if (r.kind().campaign() == campaign
            && (hard == null || r.kind().hardNegative() == hard)
            && (!campaign || r.kind().swarm() == swarm)) {
          n += flaggedOnly ? r.flagged() : r.accounts();
        }
      }
      return n;
    }

    /** Flagged share of all legitimate accounts. */
    public double falsePositiveRate() {
      return ratio(sum(false, null, false, true), sum(false, null, false, false));
    }

    /** Flagged share of the legitimate accounts that are not hard negatives. */
    public double ordinaryFalsePositiveRate() {
      return ratio(sum(false, false, false, true), sum(false, false, false, false));
    }

    /** Flagged share of the hard negatives. */
    public double hardNegativeFalsePositiveRate() {
      return ratio(sum(false, true, false, true), sum(false, true, false, false));
    }

    /** Flagged share of single-account campaigns. */
    public double singleCampaignDetectionRate() {
      return ratio(sum(true, null, false, true), sum(true, null, false, false));
    }

    /** Share of single-account campaigns flagged within max(100 queries, 5% of their traffic). */
    public double singleCampaignWithinBudgetRate() {
      int n = 0;
      int within = 0;
      for (KindRow r : kinds) {
        if (r.kind().campaign() && !r.kind().swarm()) {
          n += r.accounts();
          within += r.withinBudget();
        }
      }
      return ratio(within, n);
    }

    /** Flagged share of swarm member accounts. */
    public double swarmAccountRate() {
      return ratio(sum(true, null, true, true), sum(true, null, true, false));
    }

    private static double ratio(int a, int b) {
      return b == 0 ? 0 : (double) a / b;
    }
  }

  private DetectionScorer() {}

  /**
   * Scores a detector.
   *
   * @param detector its name
   * @param labels the ground truth
   * @param flaggedAt per flagged account, the query count at its first flag (accounts absent were
   *     never flagged)
   */
  public static Score score(
      String detector, List<AccountLabel> labels, Map<String, Long> flaggedAt) {
    Map<AccountKind, List<AccountLabel>> byKind = new EnumMap<>(AccountKind.class);
    labels.forEach(l -> byKind.computeIfAbsent(l.kind(), k -> new ArrayList<>()).add(l));
    List<KindRow> rows = new ArrayList<>();
    byKind.forEach(
        (kind, ls) -> {
          int flagged = 0;
          int within = 0;
          List<Double> queries = new ArrayList<>();
          List<Double> shares = new ArrayList<>();
          for (AccountLabel l : ls) {
            Long at = flaggedAt.get(l.accountId());
            if (at == null) {
              continue;
            }
            flagged++;
            queries.add((double) at);
            shares.add((double) at / Math.max(1, l.queries()));
            if (at <= Math.max(100, 0.05 * l.queries())) {
              within++;
            }
          }
          rows.add(new KindRow(kind, ls.size(), flagged, median(queries), median(shares), within));
        });
    Map<String, int[]> swarms = new HashMap<>();
    Map<String, AccountKind> swarmKinds = new HashMap<>();
    for (AccountLabel l : labels) {
      if (l.swarmId() != null) {
        int[] c = swarms.computeIfAbsent(l.swarmId(), k -> new int[2]);
        c[0]++;
        c[1] += flaggedAt.containsKey(l.accountId()) ? 1 : 0;
        swarmKinds.put(l.swarmId(), l.kind());
      }
    }
    List<SwarmRow> swarmRows = new ArrayList<>();
    swarms.forEach((id, c) -> swarmRows.add(new SwarmRow(id, swarmKinds.get(id), c[0], c[1])));
    swarmRows.sort((a, b) -> a.kind().compareTo(b.kind()));
    return new Score(detector, rows, swarmRows, Map.copyOf(flaggedAt));
  }

  /** The accounts a baseline flags at a threshold, with the query count of the first flag. */
  public static Map<String, Long> flaggedAt(List<Trajectory> trajectories, double threshold) {
    Map<String, Long> out = new HashMap<>();
    for (Trajectory t : trajectories) {
      int at = t.firstAbove(threshold);
      if (at >= 0) {
        out.put(t.accountId(), (long) at);
      }
    }
    return out;
  }

  private static double median(List<Double> v) {
    return v.isEmpty()
        ? Double.NaN
        : Metrics.quantile(v.stream().mapToDouble(Double::doubleValue).toArray(), 0.5);
  }
}
