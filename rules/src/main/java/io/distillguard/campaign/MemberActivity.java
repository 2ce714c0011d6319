package io.distillguard.campaign;

import io.distillguard.policy.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

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
  private final TreeSet<Long> hours = new TreeSet<>();
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
    hours.add(hour);
    while (hours.size() > MAX_HOURS) {
      hours.pollFirst();
    }
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
        java.util.List.copyOf(hours),
        ownLevel,
        MemberSummary.categoryHours(categories, categoryHours, firstSeen));
  }
}
