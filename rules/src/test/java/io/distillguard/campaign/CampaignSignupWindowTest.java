package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.AccountProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A campus signing up over its first week of term next to a campaign's sign-up burst: a third of
 * the students sign up in the same three hours as the campaign (never in the same hour), on the
 * campus network, and each asks about a course the campaign sweeps. Student and campaign member
 * share the sign-up window and near-duplicate questions and nothing else, which is what chained a
 * campus onto a campaign when the window counted as registration evidence of its own.
 */
class CampaignSignupWindowTest {

  private static final Instant T0 = CampaignTraffic.T0;
  private static final List<String> SUBJECTS = CampaignTraffic.subjects(15);

  /** 21:05 the day before yesterday: the campaign signs up from here to 21:49. */
  private static final Instant CAMPAIGN_BURST = Instant.parse("2026-10-03T21:05:00Z");

  /** 23:00 the same evening: the students in the campaign's window sign up from here to 23:49. */
  private static final Instant STUDENTS_IN_WINDOW = Instant.parse("2026-10-03T23:00:00Z");

  private static final List<String> CAMPUS_NAT =
      List.of("128.84.21.10", "128.84.21.11", "128.84.21.12");

  @Test
  void aCampusSigningUpHoursFromACampaignsBurstStaysApartAndQuiet() {
    CampaignTraffic t = new CampaignTraffic(71);
    // The campaign: twelve accounts signed up four minutes apart, posing as banking support bots on
    // one network with one client, each sweeping eight exam subjects (together all fifteen).
    List<String> campaign = new ArrayList<>();
    for (int m = 0; m < 12; m++) {
      List<String> sweep = new ArrayList<>();
      for (int k = 0; k < 8; k++) {
        sweep.add(SUBJECTS.get((8 * m + k) % SUBJECTS.size()));
      }
      campaign.add(
          t.account("member-" + m)
              .states("Customer support bot #" + m, Set.of("banking77"))
              .signedUp(CAMPAIGN_BURST.plus(Duration.ofMinutes(4L * m)), null)
              .asks(200, sweep, T0, Duration.ofDays(2))
              .via(List.of("203.0.113." + (10 + m % 3), "203.0.113.30"), "python-httpx/0.27.2")
              .add());
    }
    // The campus: 24 students on the campus network, each asking about their own course as stated;
    // eight sign up in the campaign's three-hour window, the rest over the two days before.
    List<String> students = new ArrayList<>();
    List<String> inWindow = new ArrayList<>();
    for (int s = 0; s < 24; s++) {
      String course = SUBJECTS.get(s % SUBJECTS.size());
      Instant created =
          s < 8
              ? STUDENTS_IN_WINDOW.plus(Duration.ofMinutes(7L * s))
              : T0.minus(Duration.ofDays(4)).plus(Duration.ofMinutes(170L * (s - 8)));
      String id =
          t.account("student-" + s)
              .states("Study help for my " + course + " course.", Set.of(course))
              .signedUp(created, CAMPUS_NAT.get(s % CAMPUS_NAT.size()))
              .asks(60, List.of(course), T0, Duration.ofDays(3))
              .via(CAMPUS_NAT, "Mozilla/5.0 (Windows NT 10.0; Win64; x64)")
              .add();
      students.add(id);
      if (s < 8) {
        inWindow.add(id);
      }
    }

    // The setting: a student in the window shares the window with the campaign, and no hour.
    Set<LinkKey> student = signUpKeys(t, STUDENTS_IN_WINDOW);
    Set<LinkKey> member = signUpKeys(t, CAMPAIGN_BURST.plus(Duration.ofMinutes(44)));
    student.retainAll(member);
    assertThat(student).singleElement().extracting(LinkKey::type).isEqualTo(LinkType.SIGNUP_WINDOW);

    t.play();

    // The campaign is raised as one case with every member; no student is in it or flagged.
    assertThat(t.flagged(campaign)).containsExactlyInAnyOrderElementsOf(campaign);
    String campaignId = t.detector.campaignOf(campaign.get(0)).orElseThrow();
    assertThat(t.detector.linkedMembers(campaignId)).noneMatch(students::contains);
    for (String s : students) {
      assertThat(t.detector.campaignOf(s)).isNotEqualTo(t.detector.campaignOf(campaign.get(0)));
    }
    assertThat(t.flagged(students)).isEmpty();
    // The students in the window are linked where they belong: with the campus.
    String campus = t.detector.campaignOf(students.get(8)).orElseThrow();
    for (String s : inWindow) {
      assertThat(t.detector.campaignOf(s)).contains(campus);
    }
  }

  /** The sign-up hour and window keys of an account created at {@code created}. */
  private static Set<LinkKey> signUpKeys(CampaignTraffic t, Instant created) {
    Set<LinkKey> keys = new HashSet<>();
    for (LinkKey k :
        t.detector
            .extractor()
            .fromProfile(
                new AccountProfile("x", null, null, null, created, null, null, null, null))) {
      if (k.type() == LinkType.SIGNUP_BURST || k.type() == LinkType.SIGNUP_WINDOW) {
        keys.add(k);
      }
    }
    return keys;
  }
}
