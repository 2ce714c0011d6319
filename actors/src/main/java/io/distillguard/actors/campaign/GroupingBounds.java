package io.distillguard.actors.campaign;

import io.distillguard.campaign.LinkIndex;

/**
 * What bounds the memory of the cluster's campaign grouping ({@code intake.campaign-grouping} of
 * {@code distillguard.actors}).
 *
 * @param maxAccounts the most accounts it holds; beyond, the least recently seen is forgotten (its
 *     campaign keeps the member)
 * @param maxSingleMemberKeys the most link keys seen by one account only that it holds (36 to 44
 *     bytes each); beyond, the one recorded longest ago is forgotten, and a second account that
 *     reaches it later is its first again (see {@link LinkIndex})
 */
public record GroupingBounds(int maxAccounts, int maxSingleMemberKeys) {

  public GroupingBounds {
    if (maxAccounts < 2) {
      throw new IllegalArgumentException(
          "intake.campaign-grouping.max-accounts must be at least 2, got " + maxAccounts);
    }
    if (maxSingleMemberKeys < 1) {
      throw new IllegalArgumentException(
          "intake.campaign-grouping.max-single-member-keys must be positive, got "
              + maxSingleMemberKeys);
    }
  }

  /** At most {@code maxAccounts} accounts and the default number of single-member keys. */
  public static GroupingBounds accounts(int maxAccounts) {
    return new GroupingBounds(maxAccounts, LinkIndex.DEFAULT_MAX_SINGLE_MEMBER_KEYS);
  }
}
