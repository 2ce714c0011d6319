package io.distillguard.campaign;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.distillguard.policy.Level;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compact summary an account contributes to a campaign: what the campaign state folds over. An
 * account entity sends it to its campaign; nothing in it is prompt text or a raw identifier other
 * than the account and organisation ids.
 *
 * @param accountId the account
 * @param queries the account's queries so far
 * @param categories queries per capability category
 * @param firstSeenMillis event time of the account's first query (0 when none yet)
 * @param lastSeenMillis event time of its latest query
 * @param signupMillis the profile's {@code created_at}, or null
 * @param expectedCategories the categories its stated use makes likely; empty when unknown
 * @param orgId the declared organisation, or null
 * @param activeHours the epoch hours ({@code millis / 3,600,000}) it was active in, the latest
 *     {@value MemberActivity#MAX_HOURS} at most, ascending
 * @param ownLevel the level the account's own rules (or a reviewer of the account) hold it at, not
 *     counting any campaign flag; null when not known
 * @param categoryHours per category, the sum of the epoch hours of the account's queries in it
 *     (divided by the category's count: when the account asked about it, on average); empty in
 *     summaries journaled before it was kept
 */
public record MemberSummary(
    String accountId,
    long queries,
    Map<String, Long> categories,
    long firstSeenMillis,
    long lastSeenMillis,
    Long signupMillis,
    Set<String> expectedCategories,
    String orgId,
    List<Long> activeHours,
    Level ownLevel,
    Map<String, Long> categoryHours) {
  @JsonCreator
  public MemberSummary {
    categories = Map.copyOf(categories);
    categoryHours = categoryHours == null ? Map.of() : Map.copyOf(categoryHours);
    expectedCategories = Set.copyOf(expectedCategories);
    activeHours = List.copyOf(activeHours);
  }

  /** A summary that says nothing of when each category was asked ({@code categoryHours} empty). */
  public MemberSummary(
      String accountId,
      long queries,
      Map<String, Long> categories,
      long firstSeenMillis,
      long lastSeenMillis,
      Long signupMillis,
      Set<String> expectedCategories,
      String orgId,
      List<Long> activeHours,
      Level ownLevel) {
    this(
        accountId,
        queries,
        categories,
        firstSeenMillis,
        lastSeenMillis,
        signupMillis,
        expectedCategories,
        orgId,
        activeHours,
        ownLevel,
        Map.of());
  }

  /**
   * The mean epoch hour of the account's queries in {@code category}, or NaN when it has none there
   * or its summary does not say.
   */
  public double meanHour(String category) {
    Long sum = categoryHours.get(category);
    Long count = categories.get(category);
    return sum == null || count == null || count == 0 ? Double.NaN : (double) sum / count;
  }

  /**
   * True when the account's own rules or its reviewer hold it at REVIEW or above (REVIEW, THROTTLE
   * or a reviewer's CONFIRMED); a campaign flag does not count.
   */
  public boolean escalatedOnItsOwn() {
    return ownLevel == Level.REVIEW || ownLevel == Level.THROTTLE || ownLevel == Level.CONFIRMED;
  }

  /** This summary with {@code level} as the account's own level. */
  public MemberSummary withOwnLevel(Level level) {
    return new MemberSummary(
        accountId,
        queries,
        categories,
        firstSeenMillis,
        lastSeenMillis,
        signupMillis,
        expectedCategories,
        orgId,
        activeHours,
        level,
        categoryHours);
  }
}
