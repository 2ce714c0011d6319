package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import io.distillguard.policy.Reason;
import io.distillguard.signals.SignalSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CampaignDetectorTest {

  private static final Instant T0 = CampaignTraffic.T0;
  private static final String SWARM_WRAPPER =
      "Practice item for the study bank, answer and explain briefly: %s";

  /** A swarm: each member asks three subjects of a sweep, all through one wrapper template. */
  private static List<String> swarm(
      CampaignTraffic t, String prefix, int members, boolean residentialProxies, Instant created) {
    List<String> subjects = CampaignTraffic.subjects(15);
    List<String> ids = new ArrayList<>();
    for (int m = 0; m < members; m++) {
      String id = prefix + m;
      ids.add(id);
      List<String> slice = new ArrayList<>();
      for (int s = 0; s < 3; s++) {
        slice.add(subjects.get((m * 3 + s) % subjects.size()));
      }
      String subject = slice.get(0).substring(5).replace('_', ' ');
      CampaignTraffic.Account a =
          t.account(id)
              .states(
                  "Exam preparation app for " + subject + ": practice questions with explanations.",
                  Set.copyOf(slice))
              .signedUp(created.plus(Duration.ofMinutes(t.rng.nextInt(50))), null);
      List<String> ips =
          residentialProxies
              ? List.of("100." + (20 + m) + "." + t.rng.nextInt(250) + ".7")
              : List.of("203.0.113." + (10 + m % 4), "203.0.113." + (20 + m % 3));
      String ua = residentialProxies ? "Mozilla/5.0 build-" + m : "Mozilla/5.0 (X11; Linux) sb/1.2";
      a.asks(80, slice, T0.plus(Duration.ofHours(t.rng.nextInt(6))), Duration.ofDays(2))
          .wrappedIn(SWARM_WRAPPER)
          .via(ips, ua)
          .add();
    }
    return ids;
  }

  @Test
  void aSwarmSplittingASweepIsOneCampaignAtReview() {
    CampaignTraffic t = new CampaignTraffic(11);
    List<String> members = swarm(t, "swarm-", 8, false, T0.minus(Duration.ofHours(3)));
    t.play();

    List<CampaignView> linked =
        t.detector.campaigns().stream().filter(c -> c.kind() == CampaignView.Kind.LINKED).toList();
    assertThat(linked).hasSize(1);
    CampaignView c = linked.get(0);
    assertThat(c.members()).containsExactlyInAnyOrderElementsOf(members);
    assertThat(c.level()).isEqualTo(Level.REVIEW);
    // Each member states the use its slice matches: the wrapper around one sweep, not the members'
    // stated uses, gives it away.
    assertThat(c.reasons()).extracting(r -> r.rule()).contains("wrapped-sweep");
    assertThat(c.signals().get(CampaignSignals.COMPLEMENTARITY)).isGreaterThan(2.5);
    assertThat(c.links()).extracting(CampaignView.LinkSummary::kind).contains(LinkKind.CONTENT);
    assertThat(t.flagged(members)).containsExactlyInAnyOrderElementsOf(members);
    // Hashed values only: no IP or user agent text in what a reviewer is shown.
    assertThat(c.links()).allSatisfy(l -> assertThat(l.value()).matches("[0-9a-f]{16}"));
    // One campaign id, from first escalation on: every level change names the same campaign.
    assertThat(t.updates()).extracting(CampaignDetector.Update::campaignId).containsOnly(c.id());
    // Caught early: the REVIEW came before the swarm had sent a tenth of its traffic.
    CampaignDetector.Update review =
        t.updates().stream().filter(u -> u.level() == Level.REVIEW).findFirst().orElseThrow();
    assertThat(review.members().size()).isGreaterThanOrEqualTo(3);
    long total = members.stream().mapToLong(t::sent).sum();
    assertThat((double) t.sentAt(review) / total).isLessThan(0.10);
  }

  @Test
  void theRuntimePathThroughObservationsFindsTheSameCampaignWithoutRawIps() {
    CampaignTraffic t = new CampaignTraffic(11).viaObservations();
    List<String> members = swarm(t, "swarm-", 8, false, T0.minus(Duration.ofHours(3)));
    t.play();
    String id = t.detector.campaignOf(members.get(0)).orElseThrow();
    CampaignView c = t.detector.campaign(id).orElseThrow();
    assertThat(c.members()).containsExactlyInAnyOrderElementsOf(members);
    assertThat(c.level()).isEqualTo(Level.REVIEW);
    // Registration keys arrive with the observations: no separate profile feed is needed.
    assertThat(c.signals().get(CampaignSignals.REGISTRATION_LINK_WEIGHT)).isGreaterThan(0.25);
  }

  @Test
  void anObservationCarriesHashedKeysAndNoRawIp() {
    LinkExtractor x = new LinkExtractor(LinkHasher.localDefault());
    io.distillguard.contract.QueryEvent e =
        new io.distillguard.contract.QueryEvent(
            "e1",
            "a1",
            T0,
            "Practice item for the study bank, answer and explain briefly: What is 2+2?",
            null,
            "key-1",
            null,
            null,
            null,
            null,
            new io.distillguard.contract.QueryEvent.ClientInfo("203.0.113.7", "ua/1"));
    io.distillguard.contract.AccountProfile p =
        new io.distillguard.contract.AccountProfile(
            "a1", "Quiz app for students", null, null, T0, null, "198.51.100.1", "fp", "x.org");
    var o =
        ObservationLinks.attach(
            io.distillguard.enrich.QueryEnricher.observation(
                e, p, null, new io.distillguard.enrich.Enrichment("c", 0f, 0f, 0L, 0L, null)),
            e,
            p,
            x);
    assertThat(o.clientIp()).matches("[0-9a-f]{16}");
    assertThat(String.join(" ", o.linkKeys())).doesNotContain("203.0.113", "198.51.100");
    assertThat(ObservationLinks.keys(o))
        .extracting(LinkKey::type)
        .contains(LinkType.IP, LinkType.IP_PREFIX, LinkType.SCAFFOLD, LinkType.SIGNUP_IP);
  }

  @Test
  void aSwarmOnResidentialProxiesIsLinkedByRegistrationAndContent() {
    CampaignTraffic t = new CampaignTraffic(12);
    List<String> members = swarm(t, "proxy-", 8, true, T0.minus(Duration.ofHours(5)));
    t.play();

    CampaignView c =
        t.detector.campaign(t.detector.campaignOf(members.get(0)).orElseThrow()).orElseThrow();
    assertThat(c.members()).containsExactlyInAnyOrderElementsOf(members);
    assertThat(c.level()).isEqualTo(Level.REVIEW);
    assertThat(c.signals().get(CampaignSignals.REGISTRATION_LINK_WEIGHT)).isGreaterThan(0.25);
    assertThat(c.signals().get(CampaignSignals.CONTENT_LINK_WEIGHT)).isGreaterThan(0.25);
  }

  @Test
  void aConfirmedCampaignFlagsFreshStronglyLinkedAccountsAtOnce() {
    CampaignTraffic t = new CampaignTraffic(13);
    List<String> members = swarm(t, "swarm-", 6, false, T0.minus(Duration.ofHours(3)));
    t.play();
    String id = t.detector.campaignOf(members.get(0)).orElseThrow();
    t.detector.review(id, Level.CONFIRMED, T0.plus(Duration.ofDays(3)).toEpochMilli());
    assertThat(members)
        .allSatisfy(m -> assertThat(t.detector.memberLevel(m)).isEqualTo(Level.THROTTLE));

    // Banned, the operator comes back with fresh accounts: same wrapper, same address block.
    Instant later = T0.plus(Duration.ofDays(4));
    List<String> fresh = new ArrayList<>();
    List<String> subjects = CampaignTraffic.subjects(15);
    for (int i = 0; i < 5; i++) {
      String acct = "fresh-" + i;
      fresh.add(acct);
      t.account(acct)
          .states("Flashcards for students.", Set.of())
          .signedUp(later, null)
          .asks(
              20,
              List.of(
                  subjects.get((3 * i) % subjects.size()),
                  subjects.get((3 * i + 1) % subjects.size())),
              later.plus(Duration.ofMinutes(10)),
              Duration.ofHours(2))
          .wrappedIn(SWARM_WRAPPER)
          .via(List.of("203.0.113." + (10 + i % 4)), "Mozilla/5.0 (X11; Linux) sb/1.2")
          .add();
    }
    t.play();
    assertThat(fresh)
        .allSatisfy(a -> assertThat(t.detector.memberLevel(a)).isEqualTo(Level.THROTTLE));
    assertThat(t.detector.campaignOf(fresh.get(0))).contains(id);
  }

  @Test
  void aClearedCampaignClearsItsMembers() {
    CampaignTraffic t = new CampaignTraffic(14);
    List<String> members = swarm(t, "swarm-", 6, false, T0.minus(Duration.ofHours(3)));
    t.play();
    String id = t.detector.campaignOf(members.get(0)).orElseThrow();
    assertThat(t.flagged(members)).isNotEmpty();
    t.detector.review(id, Level.CLEARED, T0.plus(Duration.ofDays(3)).toEpochMilli());
    assertThat(t.flagged(members)).isEmpty();
    assertThat(t.detector.campaign(id).orElseThrow().level()).isEqualTo(Level.CLEARED);
  }

  @Test
  void aCampusNetworkAtSemesterStartStaysQuiet() {
    CampaignTraffic t = new CampaignTraffic(22);
    List<String> broad = new ArrayList<>(CampaignTraffic.subjects(15));
    broad.addAll(List.of("gsm8k", "humaneval", "self_instruct_seed", "mt_bench", "svamp"));
    List<String> students = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String id = "student-" + i;
      students.add(id);
      List<String> mine = new ArrayList<>();
      for (int k = 0; k < 8; k++) {
        mine.add(broad.get(t.rng.nextInt(broad.size())));
      }
      t.account(id)
          .states(CampaignTraffic.STATED_USES.get(i % CampaignTraffic.STATED_USES.size()), Set.of())
          .signedUp(
              T0.minus(Duration.ofDays(1)).plus(Duration.ofMinutes(t.rng.nextInt(24 * 60))),
              "192.0.2." + (1 + t.rng.nextInt(250)))
          .asks(40, mine, T0, Duration.ofDays(3))
          .via(
              List.of("192.0.2." + (1 + t.rng.nextInt(250))),
              "Mozilla/5.0 (Macintosh) Safari/605.1")
          .add();
    }
    t.play();
    assertThat(t.flagged(students)).isEmpty();
  }

  /**
   * A general-studies class: signed up from the campus in the first days of term, one stated use,
   * the course's question format around every question, a topic a week from across the subjects.
   * Linked and broad beyond its one-line stated use, but each student asks what the whole class
   * asks: nothing is dealt out between them.
   */
  @Test
  void aClassWorkingThroughOneSyllabusStaysQuiet() {
    CampaignTraffic t = new CampaignTraffic(24);
    List<String> topics = CampaignTraffic.subjects(15).subList(0, 10);
    List<String> students = new ArrayList<>();
    for (int i = 0; i < 18; i++) {
      String id = "class-" + i;
      students.add(id);
      t.account(id)
          .states("Study help for my general studies course.", Set.of())
          .signedUp(
              T0.minus(Duration.ofDays(2)).plus(Duration.ofMinutes(t.rng.nextInt(3 * 24 * 60))),
              "198.51.100." + (1 + t.rng.nextInt(3)));
      for (int week = 0; week < topics.size(); week++) {
        t.queries(
            id,
            T0.plus(Duration.ofDays(7L * week)),
            Duration.ofDays(3),
            12,
            List.of(topics.get(week)),
            "GS 101 question bank, week item. Answer with reasoning: %s",
            List.of("198.51.100.1", "198.51.100.2", "198.51.100.3"),
            "Mozilla/5.0 (Macintosh) Safari/605.1");
      }
    }
    t.play();

    assertThat(t.detector.campaignOf(students.get(0))).isPresent();
    assertThat(t.flagged(students)).isEmpty();
  }

  /**
   * The shipped split-sweep rule at the signals of a class out of step with itself, as measured
   * when an earlier policy raised it (bench seed 2727: complementarity just over 1.5, every other
   * condition met, each student asking much of what another asks): the overlap between members
   * keeps it quiet, and the same group whose members overlapped as little as the campaigns the rule
   * raises would be raised.
   */
  @Test
  void aSplitSweepNeedsMembersWhoAskDifferentThings() {
    CampaignRule splitSweep = shippedRule("split-sweep");
    Map<String, Double> outOfStepClass = new HashMap<>();
    outOfStepClass.put(CampaignSignals.MEMBERS, 15.0);
    outOfStepClass.put(CampaignSignals.INDEPENDENT_LINK_KINDS, 3.0);
    outOfStepClass.put(CampaignSignals.COMPLEMENTARITY, 1.503);
    outOfStepClass.put(CampaignSignals.SCAFFOLD_LINK_WEIGHT, 0.733);
    outOfStepClass.put(CampaignSignals.REGISTRATION_LINK_WEIGHT, 0.773);
    outOfStepClass.put(CampaignSignals.MEMBER_UNEXPECTED_SHARE, 0.850);
    outOfStepClass.put(CampaignSignals.UNION_COVERAGE_BREADTH, 0.642);
    outOfStepClass.put(CampaignSignals.SIGNUP_BURST_SHARE, 1.0);
    outOfStepClass.put(CampaignSignals.DECLARED_ORG_SHARE, 0.0);
    outOfStepClass.put(CampaignSignals.PAIRWISE_OVERLAP, 0.566);
    Map<String, Double> dealtOut = new HashMap<>(outOfStepClass);
    dealtOut.put(CampaignSignals.PAIRWISE_OVERLAP, 0.28);

    assertThat(splitSweep.holds(new SignalSnapshot(310, 0, outOfStepClass), new ArrayList<>()))
        .isFalse();
    List<Reason> reasons = new ArrayList<>();
    assertThat(splitSweep.holds(new SignalSnapshot(310, 0, dealtOut), reasons)).isTrue();
    assertThat(reasons).extracting(Reason::signal).contains(CampaignSignals.PAIRWISE_OVERLAP);
  }

  /** The shipped policy's campaign rule {@code name}. */
  static CampaignRule shippedRule(String name) {
    return Policy.loadDefault().campaigns().rules().stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void manyCustomersOfOneSdkStayApart() {
    CampaignTraffic t = new CampaignTraffic(23);
    List<String> sources = List.copyOf(CampaignTraffic.BY_CATEGORY.keySet());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String id = "sdk-" + i;
      ids.add(id);
      String category = sources.get((i * 11) % sources.size());
      t.account(id)
          .states(CampaignTraffic.STATED_USES.get(i), Set.of(category))
          .signedUp(T0.minus(Duration.ofDays(1 + 3L * i)), null)
          .asks(50, List.of(category), T0, Duration.ofDays(2))
          .via(List.of("10." + i + ".3." + (1 + i)), "openai-python/1.40.0")
          .add();
    }
    t.play();
    assertThat(t.flagged(ids)).isEmpty();
    assertThat(t.detector.campaigns())
        .extracting(CampaignView::level)
        .doesNotContain(Level.WATCH, Level.REVIEW);
  }

  @Test
  void manyAppsFromOneOpenSourceTemplateStayApart() {
    CampaignTraffic t = new CampaignTraffic(24);
    List<String> ids =
        t.openSourceTemplateApps(
            "oss-app-",
            "You are App{i}, a helpful assistant built with OpenHelper. Answer clearly.\n\n%s",
            false);
    t.play();
    assertThat(t.flagged(ids)).isEmpty();
    // A scaffold alone links no one: the apps share content, nothing else.
    assertThat(t.detector.campaigns()).isEmpty();
  }

  @Test
  void manyAccountsBehindOneNatUsingOnePopularTemplateStayQuiet() {
    // Shared infrastructure and a shared scaffold, but nothing says they were made together.
    CampaignTraffic t = new CampaignTraffic(25);
    List<String> categories = List.copyOf(CampaignTraffic.BY_CATEGORY.keySet());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String id = "office-" + i;
      ids.add(id);
      String category = categories.get((i * 5) % categories.size());
      t.account(id)
          .states(CampaignTraffic.STATED_USES.get(i), Set.of(category))
          .signedUp(T0.minus(Duration.ofDays(3 + 11L * i)), null)
          .asks(60, List.of(category), T0, Duration.ofDays(2))
          .wrappedIn("You are a helpful assistant.\n\n%s")
          .via(List.of("198.51.100.200"), "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0")
          .add();
    }
    t.play();
    assertThat(t.flagged(ids)).isEmpty();
  }

  @Test
  void theSwarmIsFoundAmongTheHardNegatives() {
    CampaignTraffic t = new CampaignTraffic(31);
    List<String> members = swarm(t, "swarm-", 8, false, T0.minus(Duration.ofHours(3)));
    List<String> org = CampaignOrganisationTest.natOrganisation(t, "acme-corp");
    t.play();
    assertThat(t.flagged(members)).containsExactlyInAnyOrderElementsOf(members);
    assertThat(t.flagged(org)).isEmpty();
    Set<String> escalated =
        t.detector.campaigns().stream()
            .filter(c -> c.level() == Level.REVIEW)
            .map(CampaignView::id)
            .collect(Collectors.toSet());
    assertThat(escalated).hasSize(1);
  }

  /**
   * One group shape, judged by what its members ask: accounts behind one address, paid with one
   * card, every prompt wrapped in one template. As an office each asks the one thing its stated use
   * names; as a swarm each poses as a flashcard app and sweeps three subjects of an exam bank.
   */
  private static List<String> wrappedGroup(CampaignTraffic t, String prefix, boolean onStatedUse) {
    List<String> subjects = CampaignTraffic.subjects(15);
    List<String> ids = new ArrayList<>();
    for (int m = 0; m < 8; m++) {
      String id = prefix + m;
      ids.add(id);
      List<String> slice =
          onStatedUse
              ? List.of(subjects.get(m % subjects.size()))
              : List.of(
                  subjects.get((3 * m) % subjects.size()),
                  subjects.get((3 * m + 1) % subjects.size()),
                  subjects.get((3 * m + 2) % subjects.size()));
      t.account(id)
          .states(
              onStatedUse
                  ? "Internal study assistant for " + slice.get(0)
                  : "Flashcards for students.",
              onStatedUse ? Set.of(slice.get(0)) : Set.of("banking77"))
          .signedUp(
              T0.minus(Duration.ofDays(onStatedUse ? 30 + 40L * m : 1))
                  .plus(Duration.ofMinutes(7L * m)),
              null)
          .asks(80, slice, T0.plus(Duration.ofHours(t.rng.nextInt(6))), Duration.ofDays(2))
          .wrappedIn(
              "You are the Initech knowledge assistant. Answer precisely and cite the course notes.\n\n%s")
          .via(List.of("198.51.100.42"), "initech-desktop/4.2")
          .add();
    }
    return ids;
  }

  @Test
  void membersAskingWhatTheyStatedStayQuietHoweverStronglyLinked() {
    CampaignTraffic t = new CampaignTraffic(41);
    List<String> office = wrappedGroup(t, "office-", true);
    t.play();
    CampaignView c = t.detector.campaign(t.detector.campaignOf(office.get(0)).orElseThrow()).get();
    assertThat(c.members()).containsExactlyInAnyOrderElementsOf(office);
    assertThat(c.signals().get(CampaignSignals.MEMBER_UNEXPECTED_SHARE)).isLessThan(0.1);
    assertThat(t.flagged(office)).isEmpty();
  }

  /**
   * The shipped policy with a campaign rule an operator may add (the shipped rules do not: it flags
   * the linked members not escalated on links alone, see docs/campaigns.md): linked accounts
   * escalated one by one are one case.
   */
  static Policy withEscalatedTogether() {
    return Policy.parse(
        io.distillguard.fixtures.OperatorPolicies.withEscalatedTogether(Policy.defaultText()),
        "escalated-together");
  }

  @Test
  void linkedAccountsEscalatedOnTheirOwnAreOneCase() {
    // The office above, quiet while none of its accounts is escalated on its own evidence: with
    // half of them at REVIEW by their own rules (one confirmed by a reviewer of the account), an
    // operator's rule on the escalated members makes them one case instead of four unrelated ones.
    CampaignTraffic t = new CampaignTraffic(withEscalatedTogether(), 41);
    List<String> office = wrappedGroup(t, "office-", true);
    for (String id : office.subList(0, 3)) {
      t.detector.ownLevel(id, Level.REVIEW);
    }
    t.detector.ownLevel(office.get(3), Level.CONFIRMED);
    t.play();

    CampaignView c = t.detector.campaign(t.detector.campaignOf(office.get(0)).orElseThrow()).get();
    assertThat(c.members()).containsExactlyInAnyOrderElementsOf(office);
    assertThat(c.level()).isEqualTo(Level.REVIEW);
    assertThat(c.reasons()).extracting(r -> r.rule()).containsOnly("escalated-together");
    assertThat(c.signals().get(CampaignSignals.ESCALATED_MEMBERS)).isEqualTo(4.0);
    assertThat(c.signals().get(CampaignSignals.ESCALATED_MEMBER_SHARE)).isEqualTo(0.5);
    // The members not yet escalated come with the case.
    assertThat(t.flagged(office)).containsExactlyInAnyOrderElementsOf(office);
  }

  @Test
  void theShippedRulesCountLinkedAccountsEscalatedOnTheirOwnWithoutRaisingOnThem() {
    CampaignTraffic t = new CampaignTraffic(41);
    List<String> office = wrappedGroup(t, "office-", true);
    for (String id : office.subList(0, 4)) {
      t.detector.ownLevel(id, Level.REVIEW);
    }
    t.play();

    CampaignView c = t.detector.campaign(t.detector.campaignOf(office.get(0)).orElseThrow()).get();
    assertThat(c.signals().get(CampaignSignals.ESCALATED_MEMBERS)).isEqualTo(4.0);
    assertThat(c.level()).isEqualTo(Level.OK);
    assertThat(t.flagged(office)).isEmpty();
  }

  @Test
  void oneAccountEscalatedOnItsOwnDoesNotRaiseItsLinkedGroup() {
    // One at REVIEW on its own; WATCH and a reviewer's CLEARED are no escalation.
    CampaignTraffic t = new CampaignTraffic(withEscalatedTogether(), 41);
    List<String> office = wrappedGroup(t, "office-", true);
    t.detector.ownLevel(office.get(0), Level.REVIEW);
    t.detector.ownLevel(office.get(1), Level.WATCH);
    t.detector.ownLevel(office.get(2), Level.WATCH);
    t.detector.ownLevel(office.get(3), Level.CLEARED);
    t.play();

    CampaignView c = t.detector.campaign(t.detector.campaignOf(office.get(0)).orElseThrow()).get();
    assertThat(c.signals().get(CampaignSignals.ESCALATED_MEMBERS)).isEqualTo(1.0);
    assertThat(t.flagged(office)).isEmpty();
  }

  @Test
  void membersSweepingBeyondTheirStatedUsesAreASplitSweep() {
    CampaignTraffic t = new CampaignTraffic(41);
    List<String> swarm = wrappedGroup(t, "swarm-", false);
    t.play();
    CampaignView c = t.detector.campaign(t.detector.campaignOf(swarm.get(0)).orElseThrow()).get();
    assertThat(c.members()).containsExactlyInAnyOrderElementsOf(swarm);
    assertThat(c.signals().get(CampaignSignals.MEMBER_UNEXPECTED_SHARE)).isGreaterThan(0.9);
    // Raised by the first rule to hold: members this far off their stated uses, registered
    // together on shared infrastructure, show it in their first queries, before the wrapper's
    // link reaches the weight split-sweep needs; split-sweep holds as well by the end.
    assertThat(c.reasons())
        .extracting(r -> r.rule())
        .containsAnyOf("split-sweep", "registered-together-sweep-evidence");
    assertThat(shippedRule("split-sweep").holds(c.signals(), new ArrayList<>())).isTrue();
    assertThat(t.flagged(swarm)).containsExactlyInAnyOrderElementsOf(swarm);
  }

  /**
   * Ten accounts behind one wrapper, each asking one subject that its stated use names, together
   * ten subjects: as an office, opened one by one over a year from the office's address; as a
   * campaign, signed up within the hour from residential addresses.
   */
  private static List<String> narrowSlices(CampaignTraffic t, String prefix, boolean burst) {
    List<String> subjects = CampaignTraffic.subjects(15);
    List<String> ids = new ArrayList<>();
    for (int m = 0; m < 10; m++) {
      String id = prefix + m;
      ids.add(id);
      String subject = subjects.get(m % subjects.size());
      t.account(id)
          .states("Study assistant for " + subject.substring(5).replace('_', ' '), Set.of(subject))
          .signedUp(
              burst
                  ? T0.minus(Duration.ofHours(20)).plus(Duration.ofMinutes(4L * m))
                  : T0.minus(Duration.ofDays(20 + 37L * m)),
              burst ? "100." + (40 + m) + ".7.9" : "198.51.100.42")
          .asks(
              80, List.of(subject), T0.plus(Duration.ofHours(t.rng.nextInt(6))), Duration.ofDays(2))
          .wrappedIn(
              burst
                  ? "Practice item for the study bank, answer and explain briefly: %s"
                  : "You are the Initech knowledge assistant. Answer precisely and cite the notes.\n\n%s")
          .via(
              burst ? List.of("100." + (60 + m) + ".3.3") : List.of("198.51.100.42"),
              burst ? "Mozilla/5.0 build-" + m : "initech-desktop/4.2")
          .add();
    }
    return ids;
  }

  @Test
  void anOfficeOpenedOverMonthsIsNoWrappedSweepThoughEachMemberIsNarrow() {
    CampaignTraffic t = new CampaignTraffic(43);
    List<String> office = narrowSlices(t, "office-", false);
    t.play();
    CampaignView c = t.detector.campaign(t.detector.campaignOf(office.get(0)).orElseThrow()).get();
    assertThat(c.members()).containsExactlyInAnyOrderElementsOf(office);
    // Each narrow, together broad, one wrapper, linked at sign-up: the shape of a wrapped sweep...
    assertThat(c.signals().get(CampaignSignals.COMPLEMENTARITY)).isGreaterThan(2.5);
    assertThat(c.signals().get(CampaignSignals.SCAFFOLD_LINK_WEIGHT)).isGreaterThan(0.6);
    // ...but opened one by one, not in a burst.
    assertThat(c.signals().get(CampaignSignals.SIGNUP_BURST_SHARE)).isLessThan(0.2);
    assertThat(t.flagged(office)).isEmpty();
  }

  @Test
  void theSameSlicesRegisteredInOneBurstAreAWrappedSweep() {
    CampaignTraffic t = new CampaignTraffic(43);
    List<String> swarm = narrowSlices(t, "swarm-", true);
    t.play();
    CampaignView c = t.detector.campaign(t.detector.campaignOf(swarm.get(0)).orElseThrow()).get();
    assertThat(c.members()).containsExactlyInAnyOrderElementsOf(swarm);
    assertThat(c.signals().get(CampaignSignals.SIGNUP_BURST_SHARE)).isEqualTo(1.0);
    assertThat(c.reasons()).extracting(r -> r.rule()).contains("wrapped-sweep");
    assertThat(t.flagged(swarm)).containsExactlyInAnyOrderElementsOf(swarm);
  }

  @Test
  void aCampusThatSharesAFewQuestionsAndSignUpHoursWithACampaignStaysOutOfIt() {
    CampaignTraffic t = new CampaignTraffic(47);
    List<String> members = swarm(t, "swarm-", 12, false, T0.minus(Duration.ofHours(3)));
    List<String> subjects = CampaignTraffic.subjects(15);
    List<String> students = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String id = "student-" + i;
      students.add(id);
      // Three students happen to sign up in the campaign's hour; the rest over the week of term.
      Instant created =
          i < 3
              ? T0.minus(Duration.ofHours(3)).plus(Duration.ofMinutes(10L * i))
              : T0.minus(Duration.ofDays(5)).plus(Duration.ofMinutes(t.rng.nextInt(4 * 24 * 60)));
      List<String> courses = List.of(subjects.get(i % 6), subjects.get((i + 1) % 6));
      t.account(id)
          .states("Homework help for my courses.", Set.copyOf(courses))
          .signedUp(created, "192.0.2.1")
          .asks(40, courses, T0, Duration.ofDays(3))
          .via(List.of("192.0.2.1", "192.0.2.2"), "Mozilla/5.0 (Macintosh) Safari/605.1")
          .add();
    }
    t.play();
    String campaign = t.detector.campaignOf(members.get(0)).orElseThrow();
    assertThat(t.detector.campaign(campaign).get().members())
        .containsExactlyInAnyOrderElementsOf(members);
    assertThat(t.flagged(members)).containsExactlyInAnyOrderElementsOf(members);
    assertThat(t.flagged(students)).isEmpty();
  }
}
