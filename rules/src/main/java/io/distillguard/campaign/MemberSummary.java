package io.distillguard.campaign;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.distillguard.policy.Level;
import io.distillguard.signals.GrowingBytes;
import io.distillguard.signals.VarInts;
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
 *     {@value MemberActivity#MAX_HOURS} at most, ascending; journaled packed ({@link
 *     #activeHoursPacked}), read in that form or as the list of numbers written before
 * @param ownLevel the level the account's own rules (or a reviewer of the account) hold it at, not
 *     counting any campaign flag; null when not known
 * @param categoryHours when the account asked about each category, on average: for each category of
 *     {@code categories} in the order of their names, the mean epoch hour of its queries there
 *     counted from the hour of its first query (rounded down), so a few bytes each without the
 *     names; empty when not known (summaries journaled before it was kept), and read as empty when
 *     it does not have one entry per category
 */
@JsonIgnoreProperties(value = "activeHours", allowSetters = true)
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
    List<Integer> categoryHours) {
  public MemberSummary {
    categories = Map.copyOf(categories);
    categoryHours =
        categoryHours == null || categoryHours.size() != categories.size()
            ? List.of()
            : List.copyOf(categoryHours);
    expectedCategories = Set.copyOf(expectedCategories);
    activeHours = HourList.copyOf(activeHours);
  }

  /**
   * A summary as journaled: the active hours packed ({@link #activeHoursPacked}), or, as summaries
   * journaled before were, a list of epoch hours.
   */
  @JsonCreator
  static MemberSummary read(
      @JsonProperty("accountId") String accountId,
      @JsonProperty("queries") long queries,
      @JsonProperty("categories") Map<String, Long> categories,
      @JsonProperty("firstSeenMillis") long firstSeenMillis,
      @JsonProperty("lastSeenMillis") long lastSeenMillis,
      @JsonProperty("signupMillis") Long signupMillis,
      @JsonProperty("expectedCategories") Set<String> expectedCategories,
      @JsonProperty("orgId") String orgId,
      @JsonProperty("activeHours") List<Long> activeHours,
      @JsonProperty("activeHoursPacked") byte[] activeHoursPacked,
      @JsonProperty("ownLevel") Level ownLevel,
      @JsonProperty("categoryHours") List<Integer> categoryHours) {
    List<Long> hours =
        activeHoursPacked != null
            ? unpackHours(activeHoursPacked)
            : activeHours == null ? List.of() : activeHours;
    return new MemberSummary(
        accountId,
        queries,
        categories == null ? Map.of() : categories,
        firstSeenMillis,
        lastSeenMillis,
        signupMillis,
        expectedCategories == null ? Set.of() : expectedCategories,
        orgId,
        hours,
        ownLevel,
        categoryHours);
  }

  /**
   * The active hours as journaled: the first as a varint, each next one as the zig-zag varint of
   * its difference to the one before (ascending hours a byte or two each, against five or more a
   * number in a list: most of a summary's bytes in every journaled member record and snapshot).
   */
  @JsonProperty("activeHoursPacked")
  byte[] activeHoursPacked() {
    GrowingBytes out = new GrowingBytes(activeHours.size() + 8);
    long before = 0;
    for (int i = 0; i < activeHours.size(); i++) {
      long h = activeHours.get(i);
      VarInts.write(out, i == 0 ? VarInts.zigZag(h) : VarInts.zigZag(h - before));
      before = h;
    }
    return out.toByteArray();
  }

  private static List<Long> unpackHours(byte[] packed) {
    int[] at = {0};
    java.util.function.IntSupplier next =
        () -> {
          if (at[0] >= packed.length) {
            throw new IllegalArgumentException("truncated active hours");
          }
          return packed[at[0]++] & 0xFF;
        };
    long[] out = new long[packed.length]; // at least a byte an hour
    int n = 0;
    long h = 0;
    while (at[0] < packed.length) {
      h += VarInts.unZigZag(VarInts.read(next));
      out[n++] = h;
    }
    return HourList.wrap(java.util.Arrays.copyOf(out, n));
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
        List.of());
  }

  /**
   * When the account asked about each of its categories, on average: hours after the hour of its
   * first query, by category; empty when the summary does not say.
   */
  public Map<String, Integer> meanHours() {
    if (categoryHours.isEmpty()) {
      return Map.of();
    }
    List<String> names = inNameOrder(categories);
    Map<String, Integer> out = new java.util.HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      out.put(names.get(i), categoryHours.get(i));
    }
    return out;
  }

  /**
   * The {@code categoryHours} of a member with {@code categories}, whose queries in each came at
   * epoch hours summing to {@code hourSums}, the first at {@code firstSeenMillis}.
   */
  static List<Integer> categoryHours(
      Map<String, Long> categories, Map<String, Long> hourSums, long firstSeenMillis) {
    long first = Math.floorDiv(firstSeenMillis, 3_600_000L);
    List<Integer> out = new java.util.ArrayList<>(categories.size());
    for (String c : inNameOrder(categories)) {
      long mean = Math.floorDiv(hourSums.get(c), categories.get(c));
      out.add((int) Math.max(0, Math.min(Integer.MAX_VALUE, mean - first)));
    }
    return out;
  }

  private static List<String> inNameOrder(Map<String, Long> categories) {
    List<String> names = new java.util.ArrayList<>(categories.keySet());
    names.sort(null);
    return names;
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
