package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A member's active hours: the latest {@value MemberActivity#MAX_HOURS} distinct, ascending. */
class MemberActivityTest {

  private static final long HOUR = 3_600_000L;
  private static final long T0 = 1_791_158_400_000L;

  @Test
  void keepsTheLatestDistinctHoursAscendingWhateverOrderTheQueriesCameIn() {
    Random rng = new Random(11);
    MemberActivity activity = new MemberActivity("acct-1");
    TreeSet<Long> expected = new TreeSet<>();
    long clock = T0;
    for (int q = 0; q < 5_000; q++) {
      // Mostly forward in time, now and then an hour already seen or a late query from earlier.
      long at =
          switch (rng.nextInt(10)) {
            case 0 -> clock - HOUR * rng.nextInt(400);
            case 1, 2 -> clock;
            default -> clock += HOUR * rng.nextInt(3);
          };
      activity.query("law", at);
      expected.add(Math.floorDiv(at, HOUR));
      while (expected.size() > MemberActivity.MAX_HOURS) {
        expected.pollFirst();
      }
      if (q % 97 == 0 || q > 4_990) {
        assertThat(activity.summary().activeHours()).containsExactlyElementsOf(expected);
      }
    }
    assertThat(activity.summary().activeHours()).hasSize(MemberActivity.MAX_HOURS);
  }

  @Test
  void aSummarysHoursEqualTheSameHoursInAnyList() {
    MemberActivity activity = new MemberActivity("acct-1");
    List<Long> hours = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      activity.query("law", T0 + HOUR * 2 * i);
      hours.add(Math.floorDiv(T0 + HOUR * 2 * i, HOUR));
    }
    MemberSummary summary = activity.summary();
    assertThat(summary.activeHours()).isEqualTo(hours).hasSameHashCodeAs(hours);
    MemberSummary fromList =
        new MemberSummary(
            summary.accountId(),
            summary.queries(),
            summary.categories(),
            summary.firstSeenMillis(),
            summary.lastSeenMillis(),
            summary.signupMillis(),
            summary.expectedCategories(),
            summary.orgId(),
            hours,
            summary.ownLevel(),
            summary.categoryHours());
    assertThat(fromList).isEqualTo(summary).hasSameHashCodeAs(summary);
  }
}
