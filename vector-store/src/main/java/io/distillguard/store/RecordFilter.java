package io.distillguard.store;

/**
 * Which records a search, query or count considers. Every component is optional: {@code null} means
 * "no constraint". The time range is inclusive at both ends ({@code fromMillis <= timestampMillis
 * <= toMillis}).
 */
public record RecordFilter(String accountId, Long fromMillis, Long toMillis, String category) {

  private static final RecordFilter ALL = new RecordFilter(null, null, null, null);

  public RecordFilter {
    if (fromMillis != null && toMillis != null && fromMillis > toMillis) {
      throw new IllegalArgumentException(
          "fromMillis " + fromMillis + " is after toMillis " + toMillis);
    }
  }

  /** No constraint: every record in the store. */
  public static RecordFilter all() {
    return ALL;
  }

  /** All records of one account. */
  public static RecordFilter account(String accountId) {
    return new RecordFilter(accountId, null, null, null);
  }

  /** This filter, restricted to an inclusive time range (either end may be null). */
  public RecordFilter withTimeRange(Long from, Long to) {
    return new RecordFilter(accountId, from, to, category);
  }

  /** This filter, restricted to one capability category (null removes the constraint). */
  public RecordFilter withCategory(String newCategory) {
    return new RecordFilter(accountId, fromMillis, toMillis, newCategory);
  }

  /** Whether a record satisfies every constraint of this filter. */
  public boolean matches(QueryRecord r) {
    return (accountId == null || accountId.equals(r.accountId()))
        && (fromMillis == null || r.timestampMillis() >= fromMillis)
        && (toMillis == null || r.timestampMillis() <= toMillis)
        && (category == null || category.equals(r.category()));
  }
}
