package io.distillguard.bench.detection.campaign;

import io.distillguard.bench.detection.AccountKind;
import io.distillguard.bench.detection.AccountLabel;
import io.distillguard.bench.detection.PromptPool;
import io.distillguard.bench.detection.TrafficBuilder;
import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Builds the campaign benchmark's traffic for one split: the detection benchmark's legitimate
 * population and its two swarms (from {@link TrafficBuilder}, with the optional registration fields
 * added), multi-account campaigns of five shapes (residential proxies, mixed-in ordinary traffic,
 * growing over a week, slices matching each stated use, ban evasion after confirmation) and the
 * hard negatives (a company behind one NAT with and without a declared organisation, a campus at
 * semester start, resellers behind one key, one SDK's customers, apps from one open-source
 * template, a general-studies class, a hackathon's teams). The detection benchmark's single-account
 * campaigns are left out: they link to no one. Deterministic for a given pool, scale and seed.
 */
public final class CampaignTrafficBuilder {

  /** Members per campaign at scale 1 (the 2026 campaigns' ~24,000 accounts, scaled down). */
  static final int MEMBERS = 20;

  /** Fresh accounts after a confirmed campaign, at scale 1. */
  static final int FRESH = 12;

  private CampaignTrafficBuilder() {}

  /**
   * Builds one split.
   *
   * @param pool the split's prompts
   * @param scale accounts per kind (1.0: two campaigns or groups of 20 members per kind and the
   *     detection traffic's legitimate population at its scale 1.0; 0.5: one of each)
   * @param seed drives every random choice
   */
  public static CampaignTraffic build(PromptPool pool, double scale, long seed) {
    if (scale <= 0) {
      throw new IllegalArgumentException("scale must be > 0");
    }
    TrafficBuilder.Traffic background = TrafficBuilder.build(pool, scale, seed);
    List<RegisteredProfile> profiles = new ArrayList<>();
    List<QueryEvent> events = new ArrayList<>();
    List<CampaignLabel> labels = new ArrayList<>();
    TrafficKit kit = new TrafficKit(pool, seed * 0x9E3779B97F4A7C15L + 11, idsOf(background));
    addBackground(background, kit, profiles, events, labels);
    int perKind = Math.max(1, (int) Math.round(2 * scale));
    // Below scale 0.5 campaigns shrink; above it there are more of them, not bigger ones.
    int members = Math.max(4, (int) Math.round(MEMBERS * Math.min(1.0, 2 * scale)));
    CampaignShapes campaigns = new CampaignShapes(kit, members);
    HardNegativeShapes negatives = new HardNegativeShapes(kit);
    for (int i = 0; i < perKind; i++) {
      campaigns.residentialProxy();
      campaigns.mixedTraffic();
      campaigns.growing();
      campaigns.statedUseSlices();
      campaigns.banEvasion(Math.max(2, (int) Math.round(FRESH * Math.min(1.0, 2 * scale))));
      negatives.natOrganisation(true, members);
      negatives.natOrganisation(false, members);
      negatives.university((int) Math.round(members * 1.5));
      negatives.reseller(i % 2 == 1, members);
      negatives.sdkUserAgent(members);
      negatives.openSourceTemplate(members);
    }
    // Kinds added later come after every earlier one, so the earlier accounts of a seed stay the
    // same.
    for (int i = 0; i < perKind; i++) {
      negatives.syllabus((int) Math.round(members * 1.5));
    }
    for (int i = 0; i < perKind; i++) {
      campaigns.declaredOrganisation();
    }
    for (int i = 0; i < perKind; i++) {
      negatives.hackathon(members);
    }
    profiles.addAll(kit.profiles);
    events.addAll(kit.events);
    labels.addAll(kit.labels);
    events.sort(Comparator.comparing(QueryEvent::timestamp).thenComparing(QueryEvent::eventId));
    return new CampaignTraffic(List.copyOf(profiles), List.copyOf(events), List.copyOf(labels));
  }

  /**
   * Keeps the detection traffic's legitimate accounts and swarm members, gives every profile the
   * registration fields a provider would hold.
   */
  private static void addBackground(
      TrafficBuilder.Traffic background,
      TrafficKit extras,
      List<RegisteredProfile> profiles,
      List<QueryEvent> events,
      List<CampaignLabel> labels) {
    Map<String, AccountLabel> kept = new HashMap<>();
    for (AccountLabel l : background.labels()) {
      if (keptFromBackground(l.kind())) {
        kept.put(l.accountId(), l);
      }
    }
    Random rng = extras.rng;
    Map<String, String> orgDomains = new HashMap<>();
    Map<String, String> orgCards = new HashMap<>();
    for (AccountProfile p : background.profiles()) {
      AccountLabel l = kept.get(p.accountId());
      if (l == null) {
        continue;
      }
      String email;
      String card;
      if (p.orgId() != null) {
        email = orgDomains.computeIfAbsent(p.orgId(), k -> extras.companyDomain());
        String orgCard = orgCards.computeIfAbsent(p.orgId(), k -> extras.paymentFingerprint());
        card = "free".equals(p.tier()) ? null : orgCard;
      } else {
        email = extras.ownEmailDomain();
        card = "free".equals(p.tier()) ? null : extras.paymentFingerprint();
      }
      String signupIp = rng.nextBoolean() ? extras.residentialIp() : extras.cloudIp();
      profiles.add(new RegisteredProfile(p, signupIp, card, email));
      CampaignKind kind =
          switch (l.kind()) {
            case SWARM_BROAD -> CampaignKind.SWARM_BROAD;
            case SWARM_NARROW -> CampaignKind.SWARM_NARROW;
            default -> CampaignKind.LEGIT;
          };
      String group = l.swarmId() != null ? l.swarmId() : p.orgId();
      labels.add(
          new CampaignLabel(l.accountId(), kind, group, l.kind(), l.queries(), l.statedUse()));
    }
    for (QueryEvent e : background.events()) {
      if (kept.containsKey(e.accountId())) {
        events.add(e);
      }
    }
  }

  private static Set<String> idsOf(TrafficBuilder.Traffic background) {
    Set<String> taken = new HashSet<>();
    background.labels().forEach(l -> taken.add(l.accountId()));
    for (QueryEvent e : background.events()) {
      taken.add(e.eventId());
      if (e.apiKeyId() != null) {
        taken.add(e.apiKeyId());
      }
    }
    return taken;
  }

  /** The detection benchmark's kinds kept as background. */
  static boolean keptFromBackground(AccountKind k) {
    return !k.campaign() || k.swarm();
  }
}
