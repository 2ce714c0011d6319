package io.distillguard.ingest.profile;

import io.distillguard.contract.AccountProfile;
import java.util.Objects;

/**
 * A change to an account's profile: a new profile that replaces the current one, or its deletion (a
 * tombstone on the compacted profiles topic), when {@code profile} is {@code null}.
 *
 * <p>A concrete public record so Flink serializes it without Kryo.
 */
public record ProfileUpdate(String accountId, AccountProfile profile) {

  public ProfileUpdate {
    Objects.requireNonNull(accountId, "accountId");
    if (profile != null && !profile.accountId().equals(accountId)) {
      throw new IllegalArgumentException("profile of another account");
    }
  }

  /** The profile replaces the account's current one. */
  public static ProfileUpdate replace(AccountProfile profile) {
    return new ProfileUpdate(profile.accountId(), profile);
  }

  /** The account's profile is deleted. */
  public static ProfileUpdate delete(String accountId) {
    return new ProfileUpdate(accountId, null);
  }

  public boolean isDeletion() {
    return profile == null;
  }
}
