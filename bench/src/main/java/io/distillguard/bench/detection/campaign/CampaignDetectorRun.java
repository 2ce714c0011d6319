package io.distillguard.bench.detection.campaign;

import io.distillguard.campaign.CampaignDetector;
import io.distillguard.campaign.CampaignView;
import io.distillguard.campaign.KeyMembers;
import io.distillguard.campaign.LinkHasher;
import io.distillguard.campaign.LinkSettings;
import io.distillguard.campaign.LinkType;
import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import io.distillguard.policy.Reason;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Replays a prepared split through {@link CampaignDetector} in event time: each profile at its
 * account's sign-up (or just before its first query, if that comes first), then every query with
 * the category the enrichment gave it, and after each query the level its account's own rules
 * decide on it. Records each account's first REVIEW-or-above through a campaign. With a review lag,
 * a simulated reviewer CONFIRMS every raised campaign whose members are mostly real campaign
 * members, that long (event time) after it was raised, which is what the ban evasion target needs;
 * without one, every flag is the detector's own.
 */
final class CampaignDetectorRun {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(CampaignDetectorRun.class);

  private CampaignDetectorRun() {}

  private record Pending(String campaignId, long dueMillis) {}

  static CampaignRunResult run(
      PreparedSplit split, Policy policy, Duration reviewLag, boolean prior) {
    return run(split, policy, reviewLag, prior, 0);
  }

  /**
   * As {@link #run(PreparedSplit, Policy, Duration, boolean)}, with {@code signupsPerHour} other
   * sign-ups per hour around every account's sign-up ({@link SignupBackground}) when the prior is
   * fed.
   */
  static CampaignRunResult run(
      PreparedSplit split, Policy policy, Duration reviewLag, boolean prior, int signupsPerHour) {
    long t0 = System.nanoTime();
    CampaignTraffic traffic = split.traffic();
    Map<String, CampaignLabel> labels = traffic.labelsById();
    CampaignDetector detector = new CampaignDetector(() -> policy, split.categories());
    PerAccountBaseline ownRules = new PerAccountBaseline(split.categories(), policy);

    // Profiles enter at sign-up, or just before the account's first query.
    List<RegisteredProfile> profiles = new ArrayList<>(traffic.profiles());
    Map<String, Long> profileAt = traffic.profileEntryMillis();
    profiles.sort(Comparator.comparing((RegisteredProfile p) -> profileAt.get(p.accountId())));
    if (prior && !profiles.isEmpty()) {
      PopulationPrior.feed(
          detector,
          policy.campaigns().links(),
          split.categories().get(0),
          profileAt.get(profiles.get(0).accountId()) - 1);
    }

    SignupBackground background = new SignupBackground(prior ? signupsPerHour : 0, profiles);
    Map<String, CampaignScorer.Flag> flags = new HashMap<>();
    Map<String, Integer> groupSizes = new HashMap<>();
    Map<String, Long> own = new HashMap<>();
    Set<String> scheduled = new HashSet<>();
    Deque<Pending> reviews = new ArrayDeque<>();
    int confirmations = 0;
    int next = 0;
    long processed = 0;
    for (int i = 0; i < traffic.events().size(); i++) {
      QueryEvent e = traffic.events().get(i);
      long now = e.timestamp().toEpochMilli();
      while (!reviews.isEmpty() && reviews.peekFirst().dueMillis() <= now) {
        Pending p = reviews.removeFirst();
        if (detector.campaign(p.campaignId()).isPresent()) {
          detector.review(p.campaignId(), Level.CONFIRMED, p.dueMillis());
          confirmations++;
        }
      }
      List<CampaignDetector.Update> updates = new ArrayList<>();
      Set<String> check = new HashSet<>();
      while (next < profiles.size() && profileAt.get(profiles.get(next).accountId()) <= now) {
        RegisteredProfile p = profiles.get(next++);
        check.add(p.accountId());
        updates.addAll(
            detector.profile(
                contractProfile(p),
                split.expectedCategories().get(p.accountId()),
                profileAt.get(p.accountId())));
      }
      background.beforeQuery(detector, e.accountId(), now);
      own.merge(e.accountId(), 1L, Long::sum);
      processed++;
      updates.addAll(detector.observe(e, split.observations().get(i).category()));
      // The account's own rules decide on the same observation; the runtime tells the grouping
      // each own level its account journal states (the effects projection), as here.
      detector.ownLevel(e.accountId(), ownRules.observe(split.observations().get(i)));
      check.add(e.accountId());
      // An account that joins a flagged campaign is flagged at once (the runtime flags members that
      // join later too), also when the edge that brings it in comes with another account's event:
      // every group change an event causes is in the group of one of the accounts it concerns.
      for (String account : List.copyOf(check)) {
        detector
            .campaignOf(account)
            .ifPresent(
                id -> {
                  List<String> members = detector.linkedMembers(id);
                  Integer before = groupSizes.put(id, members.size());
                  if (before == null || before != members.size()) {
                    check.addAll(members);
                  }
                });
      }
      for (CampaignDetector.Update u : updates) {
        if (u.level().isAbove(Level.WATCH)) {
          check.addAll(u.members());
          if (reviewLag != null
              && scheduled.add(u.campaignId())
              && mostlyCampaign(u.members(), labels)) {
            reviews.addLast(new Pending(u.campaignId(), u.atMillis() + reviewLag.toMillis()));
          }
        }
      }
      for (String account : check) {
        if (!flags.containsKey(account) && detector.memberLevel(account).isAbove(Level.WATCH)) {
          flags.put(account, new CampaignScorer.Flag(processed, own.getOrDefault(account, 0L)));
        }
      }
    }
    List<CampaignRunResult.Detected> detected = new ArrayList<>();
    for (CampaignView v : detector.campaigns()) {
      if (LOG.isDebugEnabled() && v.members().size() >= 3) {
        CampaignRunResult.Detected d = describe(v, labels);
        LOG.debug(
            "{} prior={} reviewer={}: {} {} members, mostly {} ({}), purity {}, level {}, signals {}",
            split.name(),
            prior,
            reviewLag != null,
            v.id(),
            v.members().size(),
            d.truth(),
            d.truthKind(),
            String.format(java.util.Locale.ROOT, "%.2f", d.purity()),
            v.level(),
            v.signals().values());
      }
      if ((v.level().isAbove(Level.WATCH) || v.level() == Level.CONFIRMED)
          && v.members().stream().anyMatch(labels::containsKey)) {
        detected.add(describe(v, labels));
      }
    }
    // The index drops expired keys only on its amortised sweeps; one at the last event's time makes
    // the figure the keys live within the TTL at the end, not what the last sweep happened to
    // leave.
    if (!traffic.events().isEmpty()) {
      detector
          .linkIndex()
          .sweep(
              traffic.events().get(traffic.events().size() - 1).timestamp().toEpochMilli(),
              policy.campaigns().links());
    }
    return new CampaignRunResult(
        flags,
        detected,
        confirmations,
        detector.linkIndex().trackedKeys(),
        detector.linkIndex().approxBytes(),
        (System.nanoTime() - t0) / 1e9);
  }

  static AccountProfile contractProfile(RegisteredProfile p) {
    AccountProfile a = p.profile();
    return new AccountProfile(
        a.accountId(),
        a.statedUse(),
        a.orgId(),
        a.tier(),
        a.createdAt(),
        a.verifiedAt(),
        p.signupIp(),
        p.paymentFingerprint(),
        p.emailDomain());
  }

  private static boolean mostlyCampaign(List<String> members, Map<String, CampaignLabel> labels) {
    long c =
        members.stream().filter(m -> labels.containsKey(m) && labels.get(m).campaign()).count();
    return c * 2 > members.size();
  }

  private static CampaignRunResult.Detected describe(
      CampaignView v, Map<String, CampaignLabel> labels) {
    Map<String, Long> byGroup =
        v.members().stream()
            .collect(
                Collectors.groupingBy(
                    m -> {
                      CampaignLabel l = labels.get(m);
                      if (l == null) {
                        return "?";
                      }
                      return l.groupId() != null && l.kind() != CampaignKind.LEGIT
                          ? l.groupId()
                          : "legit:" + l.kind();
                    },
                    Collectors.counting()));
    Map.Entry<String, Long> top =
        byGroup.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
    CampaignKind truthKind =
        v.members().stream()
            .map(labels::get)
            .filter(l -> l != null)
            .filter(
                l ->
                    top.getKey()
                        .equals(
                            l.groupId() != null && l.kind() != CampaignKind.LEGIT
                                ? l.groupId()
                                : "legit:" + l.kind()))
            .map(CampaignLabel::kind)
            .findFirst()
            .orElse(CampaignKind.LEGIT);
    return new CampaignRunResult.Detected(
        v.id(),
        v.kind().name(),
        v.level().name(),
        v.members().size(),
        top.getKey(),
        truthKind,
        (double) top.getValue() / v.members().size(),
        v.reasons().stream().map(Reason::toString).collect(Collectors.joining("; ")));
  }

  /** The detector's per-key member table, joined by distinct accounts within the TTL. */
  static LinkKeyMemory.Subject keyTable(LinkType type) {
    LinkHasher hasher = LinkHasher.localDefault();
    return new LinkKeyMemory.Subject() {
      @Override
      public String name() {
        return "KeyMembers (" + type.wireName() + ", " + type.kind() + ")";
      }

      @Override
      public Object build(int copy, int accounts) {
        KeyMembers k = new KeyMembers(hasher.key(type, "shared-" + copy));
        for (int i = 0; i < accounts; i++) {
          k.add(LinkKeyMemory.accountId(copy, i), 1_000_000L + i, LinkSettings.DEFAULT);
        }
        return k;
      }

      @Override
      public long estimate(Object built) {
        return ((KeyMembers) built).approxBytes();
      }
    };
  }
}
