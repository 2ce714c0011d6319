package io.distillguard.actors.console;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.Parsed;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the console reads an account's profile (its stated use, verbatim) from. The actor side
 * receives only what the ingest job derived from a profile (the expected category shares), never
 * its text, so the text comes from the profiles file: the one a local replay reads, or {@code
 * DISTILLGUARD_PROFILES_FILE} for the service. Without one the console says that the stated use is
 * not available on this node.
 */
public interface ProfileDirectory {

  /** The account's latest profile, if known. */
  Optional<AccountProfile> find(String accountId);

  /** Knows no profile. */
  static ProfileDirectory none() {
    return id -> Optional.empty();
  }

  /** The v1 profiles in a JSONL file, the latest line per account (invalid lines are skipped). */
  static ProfileDirectory fromFile(Path file) {
    ContractCodec codec = new ContractCodec(ContractLimits.DEFAULT);
    Map<String, AccountProfile> byAccount = new HashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (codec.parseProfile(line) instanceof Parsed.Ok<AccountProfile> ok) {
          byAccount.put(ok.value().accountId(), ok.value());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the profiles file " + file, e);
    }
    Map<String, AccountProfile> copy = Map.copyOf(byAccount);
    return id -> Optional.ofNullable(copy.get(id));
  }

  /** {@code DISTILLGUARD_PROFILES_FILE} when set, else {@link #none()}. */
  static ProfileDirectory fromEnvironment() {
    String file = System.getenv("DISTILLGUARD_PROFILES_FILE");
    return file == null || file.isBlank() ? none() : fromFile(Path.of(file));
  }
}
