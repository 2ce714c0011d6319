package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.policy.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A declared organisation is one principal ({@code org-...}): all accounts with its {@code org_id},
 * judged together, never linked to each other. Its merged traffic is judged against the union of
 * its accounts' stated uses; each account against its own once two are escalated on their own
 * evidence, or once one harness wraps nearly every account's queries: the one link a principal
 * reads is a prompt scaffold that dominates the traffic of two or more of its accounts (they share
 * an office, a mail domain and a card by design).
 */
class CampaignOrganisationTest {

  private static final Instant T0 = CampaignTraffic.T0;
  private static final String HARNESS =
      "Evaluation item for the model comparison sheet, answer in full then grade yourself: %s";

  /** Ten employees behind one NAT, onboarded within the hour, each with its own app. */
  static List<String> natOrganisation(CampaignTraffic t, String org) {
    List<String> sources =
        List.of(
            "banking77",
            "clinc150",
            "hwu64",
            "snips",
            "medquad",
            "gsm8k",
            "svamp",
            "humaneval",
            "mbpp",
            "ifeval");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      String id = (org == null ? "nat-" : "acme-") + i;
      ids.add(id);
      String source = sources.get(i);
      String nat = org == null ? "198.51.100.80" : "198.51.100.7";
      t.account(id)
          .states(CampaignTraffic.STATED_USES.get(org == null ? 20 + i : i), Set.of(source))
          .org(org)
          .signedUp(
              T0.minus(Duration.ofDays(org == null ? 5 : 2)).plus(Duration.ofMinutes(5 * i)), nat)
          .asks(80, List.of(source), T0, Duration.ofDays(2))
          .via(List.of(nat), "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0")
          .add();
    }
    return ids;
  }

  @Test
  void anOrganisationBehindOneNatStaysQuietDeclaredOrNot() {
    CampaignTraffic t = new CampaignTraffic(21);
    List<String> declared = natOrganisation(t, "acme-corp");
    List<String> undeclared = natOrganisation(t, null);
    t.play();

    assertThat(t.flagged(declared)).isEmpty();
    assertThat(t.flagged(undeclared)).isEmpty();
    assertThat(t.detector.campaigns())
        .extracting(CampaignView::level)
        .doesNotContain(Level.WATCH, Level.REVIEW);
    // The declared organisation is judged as one principal against the union of its stated uses.
    CampaignView org = t.detector.campaign(CampaignDetector.orgId("acme-corp")).orElseThrow();
    assertThat(org.kind()).isEqualTo(CampaignView.Kind.ORGANISATION);
    assertThat(org.members()).hasSize(10);
    assertThat(org.signals().get(CampaignSignals.UNION_UNEXPECTED_SHARE)).isLessThan(0.1);
  }

  @Test
  void aDeclaredOrganisationIsNotOneCaseForItsEscalatedMembers() {
    // A declared organisation is one principal, judged on its merged traffic against the union of
    // its stated uses, not a linked group: its members escalated on their own stay each their own
    // case, and the organisation's own case counts them without raising on them.
    CampaignTraffic t = new CampaignTraffic(CampaignDetectorTest.withEscalatedTogether(), 21);
    List<String> acme = natOrganisation(t, "acme-corp");
    for (String id : acme.subList(0, 5)) {
      t.detector.ownLevel(id, Level.REVIEW);
    }
    t.play();

    assertThat(t.detector.campaignOf(acme.get(0))).isEmpty();
    CampaignView org = t.detector.campaign(CampaignDetector.orgId("acme-corp")).orElseThrow();
    assertThat(org.signals().get(CampaignSignals.ESCALATED_MEMBERS)).isEqualTo(5.0);
    assertThat(org.level()).isEqualTo(Level.OK);
    assertThat(t.flagged(acme)).isEmpty();
  }

  @Test
  void aDeclaredOrganisationWhoseAccountsSweepOffTheirOwnUsesIsOneCaseOnceTwoAreEscalated() {
    // Two organisations of sixteen accounts each, every account stating one app's use (a category
    // of its own) and asking across all sixteen: each organisation's stated uses together expect
    // every category it asks, so neither is ever off that union, while each account is nearly all
    // off its own use. In one of them two accounts are escalated on their own evidence.
    CampaignTraffic t = new CampaignTraffic(24);
    List<String> categories = CampaignTraffic.categories().subList(0, 16);
    List<String> evalco = sweepingOrganisation(t, "evalco", categories, "203.0.113.40", null);
    List<String> quietco = sweepingOrganisation(t, "quietco", categories, "203.0.113.90", null);
    t.detector.ownLevel(evalco.get(0), Level.REVIEW);
    t.detector.ownLevel(evalco.get(5), Level.REVIEW);
    t.play();

    CampaignView org = t.detector.campaign(CampaignDetector.orgId("evalco")).orElseThrow();
    assertThat(org.signals().get(CampaignSignals.UNION_UNEXPECTED_SHARE)).isLessThan(0.1);
    assertThat(org.signals().get(CampaignSignals.MEMBER_UNEXPECTED_SHARE)).isGreaterThan(0.8);
    assertThat(org.level()).isEqualTo(Level.REVIEW);
    assertThat(org.reasons())
        .extracting(r -> r.rule())
        .containsOnly("organisation-members-escalated");
    assertThat(t.flagged(evalco)).containsExactlyInAnyOrderElementsOf(evalco);
    // The same shape without member-level evidence is no case.
    CampaignView quiet = t.detector.campaign(CampaignDetector.orgId("quietco")).orElseThrow();
    assertThat(quiet.level()).isEqualTo(Level.OK);
    assertThat(t.flagged(quietco)).isEmpty();
  }

  /**
   * Accounts of declared organisation {@code org}, one per category of {@code categories}, each
   * stating that category's use and asking across all of them (in {@code wrapper} when not null),
   * opened one by one over months.
   */
  private static List<String> sweepingOrganisation(
      CampaignTraffic t, String org, List<String> categories, String office, String wrapper) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < categories.size(); i++) {
      String id = org + "-" + i;
      ids.add(id);
      CampaignTraffic.Account a =
          t.account(id)
              .states(CampaignTraffic.STATED_USES.get(i), Set.of(categories.get(i)))
              .org(org)
              .signedUp(T0.minus(Duration.ofDays(30L + 20L * i)), office)
              .asks(48, categories, T0, Duration.ofDays(2));
      if (wrapper != null) {
        a.wrappedIn(wrapper);
      }
      a.via(List.of(office), "Mozilla/5.0 (Macintosh) Safari/17.0").add();
    }
    return ids;
  }

  @Test
  void aDeclaredOrganisationIsAPrincipalOnceItHasTwoMembers() {
    CampaignTraffic t = new CampaignTraffic(21);
    List<String> acme = natOrganisation(t, "acme-corp");
    t.play();

    String principal = CampaignDetector.orgId("acme-corp");
    assertThat(CampaignDetector.isPrincipal(principal)).isTrue();
    assertThat(CampaignDetector.isPrincipal("cmp-0123456789abcdef")).isFalse();
    assertThat(t.detector.principalOf(acme.get(0))).contains(principal);
    assertThat(t.detector.principalMembers(principal)).containsExactlyInAnyOrderElementsOf(acme);
    // Never linked to each other: the organisation is its one campaign.
    assertThat(t.detector.campaignOf(acme.get(0))).isEmpty();

    // Down to one member the organisation is no campaign; an unknown principal has no members.
    for (String id : acme.subList(1, acme.size())) {
      t.detector.forget(id);
    }
    assertThat(t.detector.principalOf(acme.get(0))).isEmpty();
    assertThat(t.detector.principalMembers(principal)).containsExactly(acme.get(0));
    assertThat(t.detector.principalMembers(CampaignDetector.orgId("nobody"))).isEmpty();
  }

  @Test
  void anOrganisationWhoseAccountsAllWrapASweepInOneHarnessIsOneCase() {
    // Two organisations of sixteen accounts each, every account stating one app's use and asking
    // across all sixteen categories; no account is escalated on its own. One wraps every query in
    // its evaluation harness.
    CampaignTraffic t = new CampaignTraffic(24);
    List<String> categories = CampaignTraffic.categories().subList(0, 16);
    List<String> evalco = sweepingOrganisation(t, "evalco", categories, "203.0.113.40", HARNESS);
    List<String> quietco = sweepingOrganisation(t, "quietco", categories, "203.0.113.90", null);
    t.play();

    CampaignView org = t.detector.campaign(CampaignDetector.orgId("evalco")).orElseThrow();
    assertThat(org.kind()).isEqualTo(CampaignView.Kind.ORGANISATION);
    assertThat(org.signals().get(CampaignSignals.SCAFFOLD_LINK_WEIGHT)).isGreaterThan(0.7);
    assertThat(org.level()).isEqualTo(Level.REVIEW);
    assertThat(org.reasons()).extracting(r -> r.rule()).containsOnly("organisation-wrapped-sweep");
    assertThat(t.flagged(evalco)).containsExactlyInAnyOrderElementsOf(evalco);
    // The reviewer sees the harness as the link, on every account, hashed.
    assertThat(org.links())
        .anySatisfy(
            l -> {
              assertThat(l.type()).isEqualTo(LinkType.SCAFFOLD);
              assertThat(l.members()).isEqualTo(evalco.size());
              assertThat(l.value()).matches("[0-9a-f]{16}");
            });
    // The same sweep without one harness is no case without member-level evidence.
    CampaignView quiet = t.detector.campaign(CampaignDetector.orgId("quietco")).orElseThrow();
    assertThat(quiet.signals().get(CampaignSignals.SCAFFOLD_LINK_WEIGHT)).isZero();
    assertThat(quiet.level()).isEqualTo(Level.OK);
    assertThat(t.flagged(quietco)).isEmpty();
  }

  @Test
  void anOrganisationOfOrdinaryAppsBehindOneInternalWrapperStaysQuiet() {
    // Every account of the organisation goes through the company's internal gateway, which wraps
    // each prompt alike, but each asks what its own app is for.
    CampaignTraffic t = new CampaignTraffic(25);
    List<String> categories = CampaignTraffic.categories().subList(0, 10);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < categories.size(); i++) {
      String id = "acme-" + i;
      ids.add(id);
      t.account(id)
          .states(CampaignTraffic.STATED_USES.get(i), Set.of(categories.get(i)))
          .org("acme-corp")
          .signedUp(T0.minus(Duration.ofDays(30L + 20L * i)), "198.51.100.7")
          .asks(60, List.of(categories.get(i)), T0, Duration.ofDays(2))
          .wrappedIn("Internal request from the Acme workplace gateway, answer politely: %s")
          .via(List.of("198.51.100.7"), "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0")
          .add();
    }
    t.play();

    CampaignView org = t.detector.campaign(CampaignDetector.orgId("acme-corp")).orElseThrow();
    assertThat(org.signals().get(CampaignSignals.SCAFFOLD_LINK_WEIGHT)).isGreaterThan(0.7);
    assertThat(org.signals().get(CampaignSignals.MEMBER_UNEXPECTED_SHARE)).isLessThan(0.5);
    assertThat(org.level()).isEqualTo(Level.OK);
    assertThat(t.flagged(ids)).isEmpty();
  }

  @Test
  void aForgottenAccountNoLongerTiesItsOrganisation() {
    CampaignTraffic t = new CampaignTraffic(26);
    List<String> categories = CampaignTraffic.categories().subList(0, 4);
    List<String> evalco = sweepingOrganisation(t, "evalco", categories, "203.0.113.40", HARNESS);
    t.play();
    String principal = CampaignDetector.orgId("evalco");
    assertThat(t.detector.campaign(principal).orElseThrow().links()).isNotEmpty();

    for (String id : evalco.subList(1, evalco.size())) {
      t.detector.forget(id);
    }
    // One account left: the harness ties no two accounts of the organisation any more.
    assertThat(t.detector.campaign(principal).orElseThrow().links()).isEmpty();
  }
}
