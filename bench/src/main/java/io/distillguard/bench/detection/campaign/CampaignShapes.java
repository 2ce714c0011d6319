package io.distillguard.bench.detection.campaign;

import io.distillguard.bench.detection.AppDomain;
import io.distillguard.bench.detection.ArrivalTimes;
import io.distillguard.bench.detection.NarrowSlices;
import io.distillguard.bench.detection.PromptPool;
import io.distillguard.bench.detection.TrafficBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Multi-account distillation campaigns. Members are human-scale (one to four hundred queries each,
 * the 2026 campaigns' ~670-1,150 over weeks scaled down with everything else) and each poses as an
 * ordinary app; a campaign shares what a real operation cannot avoid sharing: its harvesting
 * scaffold, its sign-up machinery (a burst of automated registrations, a few virtual cards, a few
 * mail domains, templated stated uses) and its split of one sweep between members.
 */
final class CampaignShapes {

  private final TrafficKit kit;
  private final int members;

  /**
   * What one campaign's members share.
   *
   * @param id the campaign (ground truth)
   * @param scaffold the wrapper every harvested payload travels in
   * @param statedUses the few stated-use texts its sign-ups paste
   * @param mailDomains the mail domains it controls
   * @param cards the virtual cards it pays with (each shared by several members)
   */
  private record Plan(
      String id,
      String scaffold,
      List<String> statedUses,
      List<String> mailDomains,
      List<String> cards) {}

  CampaignShapes(TrafficKit kit, int members) {
    this.kit = kit;
    this.members = members;
  }

  private Plan plan() {
    List<String> uses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      uses.add(kit.pick(kit.pick(AppDomain.LEGIT).statedUses()));
    }
    List<String> mail = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      mail.add(
          kit.pick(List.of("mail", "inbox", "post", "box"))
              + Integer.toHexString(kit.rng.nextInt(0x100000))
              + kit.pick(List.of(".net", ".xyz", ".online", ".site")));
    }
    List<String> cards = new ArrayList<>();
    for (int i = 0; i < Math.max(1, members / 6); i++) {
      cards.add(kit.paymentFingerprint());
    }
    return new Plan(kit.newId("campaign"), kit.pick(Scaffolds.CAMPAIGN), uses, mail, cards);
  }

  /**
   * Automated sign-up: verified within minutes, a campaign card or none, a campaign domain often.
   */
  private void register(Member m, Plan p, Instant created, boolean campaignRegistration) {
    m.createdAt = created;
    m.verifiedAt = created.plus(Duration.ofSeconds(kit.between(90, 1500)));
    m.signupIp = kit.residentialIp();
    if (m.statedUse == null) {
      m.statedUse = kit.pick(p.statedUses());
    }
    if (campaignRegistration) {
      boolean paid = kit.chance(0.8);
      m.paymentFingerprint = paid ? kit.pick(p.cards()) : null;
      m.emailDomain = kit.chance(0.6) ? kit.pick(p.mailDomains()) : kit.webmail();
    } else {
      m.ownPayment(0.5);
      m.emailDomain = kit.webmail();
    }
    m.tier = m.paymentFingerprint == null ? "free" : "pay-as-you-go";
  }

  /** Deals the sweep's slices out so that every slice goes to someone: 2 or 3 per member. */
  private List<List<NarrowSlices.Slice>> deal(int n, int perMemberMin, int perMemberMax) {
    List<NarrowSlices.Slice> deck = new ArrayList<>();
    List<List<NarrowSlices.Slice>> hands = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = kit.between(perMemberMin, perMemberMax);
      List<NarrowSlices.Slice> hand = new ArrayList<>();
      while (hand.size() < k) {
        if (deck.isEmpty()) {
          deck.addAll(kit.slices);
          Collections.shuffle(deck, kit.rng);
        }
        NarrowSlices.Slice s = deck.remove(deck.size() - 1);
        if (!hand.contains(s)) {
          hand.add(s);
        }
      }
      hands.add(hand);
    }
    return hands;
  }

  /**
   * Fills a member's times with its share of the sweep (scaffolded, never the same payload twice),
   * and with ordinary prompts of the app it poses as (plain) a given share of the time.
   */
  private void sweep(
      Member m,
      Plan p,
      List<Instant> times,
      List<NarrowSlices.Slice> hand,
      AppDomain posing,
      double ordinaryShare) {
    Set<PromptPool.Row> seen = new HashSet<>();
    for (Instant t : times) {
      if (kit.chance(ordinaryShare)) {
        m.add(t, kit.fromDomain(posing).text());
      } else {
        m.add(t, Scaffolds.wrap(p.scaffold(), kit.novel(seen, () -> kit.fromSlices(hand)).text()));
      }
    }
  }

  private List<Instant> times(Instant start, int n, double spanHours) {
    return ArrivalTimes.human(kit.rng, start, n, spanHours * 3600 / n);
  }

  private List<String> prefixes(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(kit.cloudPrefix());
    }
    return out;
  }

  private Supplier<String> fromPrefixes(List<String> prefixes) {
    List<String> ips = new ArrayList<>();
    int n = kit.between(1, 3);
    for (int i = 0; i < n; i++) {
      ips.add(kit.inPrefix(kit.pick(prefixes)));
    }
    return kit.oneOf(ips);
  }

  // ---- the kinds ------------------------------------------------------------------------------

  /** Fresh residential exits and a client string of its own per member. */
  void residentialProxy() {
    Plan p = plan();
    Instant burst = TrafficBuilder.START.minus(Duration.ofHours(kit.between(24, 60)));
    List<List<NarrowSlices.Slice>> hands = deal(members, 2, 3);
    for (int i = 0; i < members; i++) {
      Member m = new Member(kit, CampaignKind.RESIDENTIAL_PROXY, p.id());
      register(m, p, burst.plus(Duration.ofMinutes(kit.between(0, 36 * 60))), true);
      m.ips = kit.rotatingResidential();
      m.userAgent = kit.distinctUserAgent();
      Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(kit.between(0, 12 * 60)));
      int n = kit.between(150, 350);
      sweep(m, p, times(start, n, kit.uniform(24, 72)), hands.get(i), kit.pick(AppDomain.LEGIT), 0);
      m.emit();
    }
  }

  /** Half of every member's traffic is ordinary in-domain traffic of the app it poses as. */
  void mixedTraffic() {
    Plan p = plan();
    Instant burst = TrafficBuilder.START.minus(Duration.ofHours(kit.between(24, 60)));
    List<String> prefixes = prefixes(2);
    String ua = kit.commonUserAgent();
    List<List<NarrowSlices.Slice>> hands = deal(members, 2, 3);
    for (int i = 0; i < members; i++) {
      Member m = new Member(kit, CampaignKind.MIXED_TRAFFIC, p.id());
      AppDomain posing = kit.pick(AppDomain.LEGIT);
      m.statedUse = kit.pick(posing.statedUses());
      register(m, p, burst.plus(Duration.ofMinutes(kit.between(0, 24 * 60))), true);
      m.ips = fromPrefixes(prefixes);
      m.userAgent = ua;
      m.historyTurns = kit.chance(0.3) ? kit.between(1, 2) : 0;
      Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(kit.between(0, 12 * 60)));
      int n = kit.between(200, 400);
      sweep(m, p, times(start, n, kit.uniform(24, 72)), hands.get(i), posing, 0.5);
      m.emit();
    }
  }

  /**
   * A company that distils through its own enterprise organisation: accounts under its declared
   * {@code org_id} behind its office address, with its mail domain and card, opened one by one over
   * months, each stating the use of one of the company's apps. Each asks its dealt slices of the
   * sweep in the company's own evaluation wrapper, and its app's ordinary traffic a third of the
   * time.
   */
  void declaredOrganisation() {
    String org = kit.newId("org");
    String domain = kit.companyDomain();
    // The company's own evaluation harness, not a scaffold another operation could share.
    String company = domain.substring(0, domain.indexOf('-'));
    Plan shared = plan();
    Plan p =
        new Plan(
            shared.id(),
            Scaffolds.companyHarness(company),
            shared.statedUses(),
            shared.mailDomains(),
            shared.cards());
    String office = kit.inPrefix(kit.cloudPrefix());
    String card = kit.paymentFingerprint();
    String ua = kit.commonUserAgent();
    List<List<NarrowSlices.Slice>> hands = deal(members, 2, 3);
    for (int i = 0; i < members; i++) {
      Member m = new Member(kit, CampaignKind.ORG_SWEEP, p.id());
      AppDomain posing = kit.pick(AppDomain.LEGIT);
      m.statedUse = kit.pick(posing.statedUses());
      m.orgId = org;
      m.ips = kit.oneOf(List.of(office));
      m.userAgent = ua;
      m.emailDomain = domain;
      m.signupIp = office;
      m.createdAt = kit.daysBefore(5, 400);
      m.verifiedAt = m.createdAt.plus(Duration.ofMinutes(kit.between(10, 3000)));
      m.paymentFingerprint = card;
      m.tier = "enterprise";
      Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(kit.between(0, 12 * 60)));
      int n = kit.between(150, 350);
      sweep(m, p, times(start, n, kit.uniform(24, 72)), hands.get(i), posing, 1.0 / 3);
      m.emit();
    }
  }

  /** Starts with a few members and adds more every day for a week. */
  void growing() {
    Plan p = plan();
    List<String> prefixes = prefixes(3);
    String ua = kit.commonUserAgent();
    List<List<NarrowSlices.Slice>> hands = deal(members, 2, 3);
    int first = Math.max(1, members / 8);
    double perDay = Math.max(1.0, (members - first) / 6.0);
    for (int i = 0; i < members; i++) {
      Member m = new Member(kit, CampaignKind.GROWING, p.id());
      int day = i < first ? 0 : (int) Math.min(6, 1 + (i - first) / perDay);
      Instant joins =
          TrafficBuilder.START
              .plus(Duration.ofDays(day))
              .plus(Duration.ofMinutes(kit.between(0, 16 * 60)));
      register(m, p, joins.minus(Duration.ofMinutes(kit.between(20, 360))), true);
      m.ips = fromPrefixes(prefixes);
      m.userAgent = ua;
      int n = kit.between(120, 300);
      sweep(m, p, times(joins, n, kit.uniform(36, 72)), hands.get(i), kit.pick(AppDomain.LEGIT), 0);
      m.emit();
    }
  }

  /**
   * Each member asks one narrow slice and states the use that matches it; no shared addresses or
   * client: only registration, the scaffold and the split coverage link them.
   */
  void statedUseSlices() {
    Plan p = plan();
    Instant burst = TrafficBuilder.START.minus(Duration.ofHours(kit.between(24, 60)));
    List<List<NarrowSlices.Slice>> hands = deal(members, 1, 1);
    for (int i = 0; i < members; i++) {
      Member m = new Member(kit, CampaignKind.STATED_USE_SLICES, p.id());
      NarrowSlices.Slice slice = hands.get(i).get(0);
      m.statedUse = slice.statedUse();
      register(m, p, burst.plus(Duration.ofMinutes(kit.between(0, 36 * 60))), true);
      m.ips = kit.ownFleet();
      m.userAgent = kit.commonUserAgent();
      Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(kit.between(0, 12 * 60)));
      int n = kit.between(150, 350);
      sweep(m, p, times(start, n, kit.uniform(24, 72)), hands.get(i), kit.pick(AppDomain.LEGIT), 0);
      m.emit();
    }
  }

  /**
   * A campaign that runs its first three days (a reviewer confirms it once it is caught), then
   * carries on from fresh accounts that keep its scaffold and either its infrastructure or its
   * registration machinery.
   */
  void banEvasion(int fresh) {
    Plan p = plan();
    Instant burst = TrafficBuilder.START.minus(Duration.ofHours(kit.between(24, 48)));
    List<String> prefixes = prefixes(2);
    String ua = kit.commonUserAgent();
    List<List<NarrowSlices.Slice>> hands = deal(members + fresh, 2, 3);
    for (int i = 0; i < members; i++) {
      Member m = new Member(kit, CampaignKind.BAN_EVASION_ORIGINAL, p.id());
      register(m, p, burst.plus(Duration.ofMinutes(kit.between(0, 24 * 60))), true);
      m.ips = fromPrefixes(prefixes);
      m.userAgent = ua;
      Instant start = TrafficBuilder.START.plus(Duration.ofMinutes(kit.between(0, 12 * 60)));
      int n = kit.between(150, 300);
      sweep(m, p, times(start, n, kit.uniform(24, 60)), hands.get(i), kit.pick(AppDomain.LEGIT), 0);
      m.emit();
    }
    for (int i = 0; i < fresh; i++) {
      Member m = new Member(kit, CampaignKind.BAN_EVASION_FRESH, p.id());
      Instant created =
          TrafficBuilder.START
              .plus(Duration.ofDays(3))
              .plus(Duration.ofMinutes(kit.between(0, 2 * 24 * 60)));
      boolean sameInfrastructure = i % 2 == 0;
      register(m, p, created, !sameInfrastructure);
      if (sameInfrastructure) {
        m.ips = fromPrefixes(prefixes);
        m.userAgent = ua;
      } else {
        m.ips = kit.rotatingResidential();
        m.userAgent = kit.distinctUserAgent();
      }
      Instant start = created.plus(Duration.ofMinutes(kit.between(10, 240)));
      int n = kit.between(100, 250);
      sweep(
          m,
          p,
          times(start, n, kit.uniform(24, 48)),
          hands.get(members + i),
          kit.pick(AppDomain.LEGIT),
          0);
      m.emit();
    }
  }
}
