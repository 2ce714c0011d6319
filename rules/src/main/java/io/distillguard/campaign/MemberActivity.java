package io.distillguard.campaign;

import io.distillguard.policy.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Accumulates one account's {@link MemberSummary} from its queries and profile: a category
 * histogram with the hours its queries came in per category, counts, first and last seen, and its
 * latest {@value #MAX_HOURS} active hours. Bounded (two counters per category); not thread-safe.
 */
public final class MemberActivity {

  static final int MAX_HOURS = 256;

  private final String accountId;
  private final Map<String, Long> categories = new HashMap<>();
  private final Map<String, Long> categoryHours = new HashMap<>();
  // The latest MAX_HOURS distinct active hours, ascending, in the first hourCount slots.
  private final long[] hours = new long[MAX_HOURS];
  private int hourCount;
  private long queries;
  private long firstSeen;
  private long lastSeen;
  private Long signup;
  private Set<String> expected = Set.of();
  private String orgId;
  private Level ownLevel;
  // The last summary handed out, until the next change: a group's fold reads every member's
  // summary, most of which did not change since the previous fold.
  private MemberSummary summary;

  public MemberActivity(String accountId) {
    this.accountId = accountId;
  }

  /** Counts one query in {@code category} (may be null) at {@code atMillis}. */
  public void query(String category, long atMillis) {
    summary = null;
    if (queries == 0 || atMillis < firstSeen) {
      firstSeen = atMillis;
    }
    lastSeen = Math.max(lastSeen, atMillis);
    queries++;
    long hour = Math.floorDiv(atMillis, 3_600_000L);
    if (category != null) {
      categories.merge(category, 1L, Long::sum);
      categoryHours.merge(category, hour, Long::sum);
    }
    addHour(hour);
  }

  /** Puts {@code hour} in the active hours once; beyond MAX_HOURS the earliest leaves. */
  private void addHour(long hour) {
    if (hourCount > 0 && hour > hours[hourCount - 1]) {
      // The usual case: a query in a later hour than every one before.
      if (hourCount == MAX_HOURS) {
        System.arraycopy(hours, 1, hours, 0, MAX_HOURS - 1);
        hourCount--;
      }
      hours[hourCount++] = hour;
      return;
    }
    int at = java.util.Arrays.binarySearch(hours, 0, hourCount, hour);
    if (at >= 0) {
      return;
    }
    int insert = -at - 1;
    if (hourCount == MAX_HOURS) {
      if (insert == 0) {
        return; // earlier than every hour kept: it would leave at once
      }
      System.arraycopy(hours, 1, hours, 0, insert - 1);
      hours[insert - 1] = hour;
      return;
    }
    System.arraycopy(hours, insert, hours, insert + 1, hourCount - insert);
    hours[insert] = hour;
    hourCount++;
  }

  /** What the profile says: sign-up time, expected categories of its stated use, organisation. */
  public void profile(Long signupMillis, Set<String> expectedCategories, String org) {
    summary = null;
    this.signup = signupMillis;
    this.expected = expectedCategories == null ? Set.of() : Set.copyOf(expectedCategories);
    this.orgId = org;
  }

  /** The sign-up time alone (what an observation carries from the joined profile). */
  public void signup(Long signupMillis) {
    if (!Objects.equals(signup, signupMillis)) {
      summary = null;
      signup = signupMillis;
    }
  }

  /**
   * The level the account's own rules (or a reviewer of the account) hold it at; true when that
   * changed what the summary says.
   */
  public boolean ownLevel(Level level) {
    if (level == ownLevel) {
      return false;
    }
    summary = null;
    ownLevel = level;
    return true;
  }

  /** The sign-up time recorded by {@link #profile}, or null. */
  public Long signupMillis() {
    return signup;
  }

  public String accountId() {
    return accountId;
  }

  public long queries() {
    return queries;
  }

  public String orgId() {
    return orgId;
  }

  public MemberSummary summary() {
    if (summary == null) {
      summary = build();
    }
    return summary;
  }

  private MemberSummary build() {
    return new MemberSummary(
        accountId,
        queries,
        categories,
        firstSeen,
        lastSeen,
        signup,
        expected,
        orgId,
        HourList.wrap(java.util.Arrays.copyOf(hours, hourCount)),
        ownLevel,
        MemberSummary.categoryHours(categories, categoryHours, firstSeen));
  }
}
