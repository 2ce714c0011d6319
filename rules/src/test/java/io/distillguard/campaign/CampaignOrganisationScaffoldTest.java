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
 * A declared organisation is one principal whose accounts are never linked to each other; the one
 * link its principal reads is a prompt scaffold that dominates the traffic of two or more of its
 * accounts (an organisation's accounts share an office, a mail domain and a card by design).
 */
class CampaignOrganisationScaffoldTest {

  private static final Instant T0 = CampaignTraffic.T0;
  private static final String HARNESS =
      "Evaluation item for the model comparison sheet, answer in full then grade yourself: %s";

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
}
