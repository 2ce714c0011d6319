package io.distillguard.actors.account;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * Reads snapshots written while the account's state was the nested class {@code
 * AccountEntity.State} as {@link AccountState}: the JSON is the same, only the class name in the
 * snapshot's manifest changed. Registered for the old class name in {@code
 * pekko.serialization.jackson.migrations}; new snapshots name {@link AccountState}.
 */
public final class AccountStateRename extends JacksonMigration {

  /** The class name old snapshots carry in their manifest. */
  public static final String OLD_CLASS_NAME = "io.distillguard.actors.account.AccountEntity$State";

  @Override
  public int currentVersion() {
    // Old manifests carry no version (version 1); a higher one makes the serializer rename them.
    return 2;
  }

  @Override
  public String transformClassName(int fromVersion, String className) {
    return AccountState.class.getName();
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    return json;
  }
}
