package io.distillguard.bench.detection.campaign;

import io.distillguard.bench.detection.Metrics;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores one run of campaign detection against the labels: per campaign (caught? after how many of
 * its queries, what share of its traffic), per kind (members escalated through a campaign, how
 * early; hard negatives and ordinary accounts flagged) next to a per-account detector on the same
 * traffic.
 */
public final class CampaignScorer {

  /** Fresh accounts of a confirmed campaign must be flagged within this many of their queries. */
  public static final int FRESH_BUDGET = 20;

  /** A campaign must be caught before it has sent this share of its traffic. */
  public static final double CAUGHT_BUDGET = 0.10;

  /**
   * When an account was first flagged.
   *
   * @param eventsProcessed how many events of the whole stream had been processed
   * @param ownQueries how many of its own queries had been processed
   */
  public record Flag(long eventsProcessed, long ownQueries) {}

  /**
   * One kind.
   *
   * @param kind the kind
   * @param accounts its accounts
   * @param groups its campaigns or hard-negative groups
   * @param viaCampaign flagged through a campaign
   * @param medianOwnQueries median own queries at that flag
   * @param medianOwnShare median share of the account's own traffic at that flag
   * @param perAccount flagged by the per-account detector
   * @param either flagged by one or the other
   * @param withinFreshBudget flagged through a campaign within {@value #FRESH_BUDGET} own queries
   */
  public record KindRow(
      CampaignKind kind,
      int accounts,
      int groups,
      int viaCampaign,
      double medianOwnQueries,
      double medianOwnShare,
      int perAccount,
      int either,
      int withinFreshBudget) {}

  /**
   * One campaign (or hard-negative group).
   *
   * @param groupId the ground-truth group
   * @param kind its members' kind (the original members' for ban evasion)
   * @param members its accounts
   * @param queries its total traffic
   * @param caught whether any member was flagged through a campaign
   * @param queriesBeforeCaught the group's queries processed when the first member was flagged
   * @param membersFlagged members flagged through a campaign
   * @param queriesBeforeFirstFlag the group's queries processed when a member was first flagged by
   *     either detector (its own account rules or through a campaign), -1 if never
   */
  public record GroupRow(
      String groupId,
      CampaignKind kind,
      int members,
      long queries,
      boolean caught,
      long queriesBeforeCaught,
      int membersFlagged,
      long queriesBeforeFirstFlag) {

    /** The share of the group's traffic sent before it was caught. */
    public double shareBeforeCaught() {
      return queries == 0 ? 0 : (double) queriesBeforeCaught / queries;
    }

    /** The share of the group's traffic sent before either detector first flagged a member. */
    public double shareBeforeFirstFlag() {
      return queries == 0 ? 0 : (double) queriesBeforeFirstFlag / queries;
    }
  }

  /** A whole score. */
  public record Score(List<KindRow> kinds, List<GroupRow> groups) {

    /** Share of legitimate accounts (hard negatives included) flagged by the chosen detector. */
    public double legitFlaggedRate(boolean viaCampaign) {
      int n = 0;
      int f = 0;
      for (KindRow r : kinds) {
        if (!r.kind().campaign()) {
          n += r.accounts();
          f += viaCampaign ? r.viaCampaign() : r.perAccount();
        }
      }
      return n == 0 ? 0 : (double) f / n;
    }

    /** Share of legitimate accounts flagged by either detector. */
    public double legitFlaggedEither() {
      int n = 0;
      int f = 0;
      for (KindRow r : kinds) {
        if (!r.kind().campaign()) {
          n += r.accounts();
          f += r.either();
        }
      }
      return n == 0 ? 0 : (double) f / n;
    }

    /** The row of a kind, or {@code null}. */
    public KindRow kind(CampaignKind k) {
      return kinds.stream().filter(r -> r.kind() == k).findFirst().orElse(null);
    }
  }

  private CampaignScorer() {}

  /**
   * Scores a run.
   *
   * @param labels the ground truth
   * @param eventAccounts the account of every event, in processing order
   * @param viaCampaign first flag through a campaign, per account (absent: never)
   * @param perAccount first flag of the per-account detector, per account (absent: never)
   */
  public static Score score(
      List<CampaignLabel> labels,
      List<String> eventAccounts,
      Map<String, Flag> viaCampaign,
      Map<String, Flag> perAccount) {
    Map<String, CampaignLabel> byId = new HashMap<>();
    labels.forEach(l -> byId.put(l.accountId(), l));
    Map<CampaignKind, List<CampaignLabel>> byKind = new EnumMap<>(CampaignKind.class);
    labels.forEach(l -> byKind.computeIfAbsent(l.kind(), k -> new ArrayList<>()).add(l));
    List<KindRow> kinds = new ArrayList<>();
    byKind.forEach(
        (kind, ls) -> {
          int camp = 0;
          int acct = 0;
          int either = 0;
          int fresh = 0;
          List<Double> own = new ArrayList<>();
          List<Double> share = new ArrayList<>();
          for (CampaignLabel l : ls) {
            Flag c = viaCampaign.get(l.accountId());
            Flag a = perAccount.get(l.accountId());
            if (c != null) {
              camp++;
              own.add((double) c.ownQueries());
              share.add((double) c.ownQueries() / Math.max(1, l.queries()));
              if (c.ownQueries() <= FRESH_BUDGET) {
                fresh++;
              }
            }
            acct += a != null ? 1 : 0;
            either += c != null || a != null ? 1 : 0;
          }
          int groups =
              (int)
                  ls.stream().map(CampaignLabel::groupId).filter(g -> g != null).distinct().count();
          kinds.add(
              new KindRow(
                  kind, ls.size(), groups, camp, median(own), median(share), acct, either, fresh));
        });

    // Per group: its events' positions in the stream, to count what it sent before it was caught.
    Map<String, List<Long>> positions = new LinkedHashMap<>();
    for (int i = 0; i < eventAccounts.size(); i++) {
      CampaignLabel l = byId.get(eventAccounts.get(i));
      if (l != null && l.groupId() != null && l.kind() != CampaignKind.LEGIT) {
        positions.computeIfAbsent(l.groupId(), k -> new ArrayList<>()).add((long) i);
      }
    }
    Map<String, List<CampaignLabel>> members = new LinkedHashMap<>();
    labels.stream()
        .filter(l -> l.groupId() != null && l.kind() != CampaignKind.LEGIT)
        .forEach(l -> members.computeIfAbsent(l.groupId(), k -> new ArrayList<>()).add(l));
    List<GroupRow> groups = new ArrayList<>();
    members.forEach(
        (group, ls) -> {
          long caughtAt = Long.MAX_VALUE;
          long firstFlagAt = Long.MAX_VALUE;
          int flagged = 0;
          for (CampaignLabel l : ls) {
            Flag c = viaCampaign.get(l.accountId());
            if (c != null) {
              flagged++;
              caughtAt = Math.min(caughtAt, c.eventsProcessed());
            }
            Flag a = perAccount.get(l.accountId());
            if (a != null) {
              firstFlagAt = Math.min(firstFlagAt, a.eventsProcessed());
            }
          }
          firstFlagAt = Math.min(firstFlagAt, caughtAt);
          List<Long> pos = positions.getOrDefault(group, List.of());
          CampaignKind kind =
              ls.stream()
                  .map(CampaignLabel::kind)
                  .filter(k -> k != CampaignKind.BAN_EVASION_FRESH)
                  .findFirst()
                  .orElse(ls.get(0).kind());
          groups.add(
              new GroupRow(
                  group,
                  kind,
                  ls.size(),
                  pos.size(),
                  caughtAt != Long.MAX_VALUE,
                  sentBefore(pos, caughtAt),
                  flagged,
                  sentBefore(pos, firstFlagAt)));
        });
    groups.sort((a, b) -> a.kind().compareTo(b.kind()));
    return new Score(kinds, groups);
  }

  /** How many of a group's event positions lie before {@code at} (-1 when it never came). */
  private static long sentBefore(List<Long> positions, long at) {
    if (at == Long.MAX_VALUE) {
      return -1;
    }
    long before = 0;
    for (long p : positions) {
      if (p < at) {
        before++;
      }
    }
    return before;
  }

  private static double median(List<Double> v) {
    return v.isEmpty()
        ? Double.NaN
        : Metrics.quantile(v.stream().mapToDouble(Double::doubleValue).toArray(), 0.5);
  }
}
