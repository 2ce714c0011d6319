package io.distillguard.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.QueryEvent;
import io.distillguard.store.RecordFilter;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./distillguard replay} over a file whose valid events belong to accounts with reserved
 * characters in their ids (the one with {@code |} stopped the whole replay before), interleaved
 * with hostile lines: the replay succeeds, every account counts each of its events once, every
 * hostile line is dead-lettered, and an event id reused by another account is stored for both.
 */
class HostileReplayIT {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final ContractCodec CODEC = new ContractCodec(ContractLimits.DEFAULT);
  private static final Instant START = Instant.parse("2026-10-05T00:00:00Z");
  private static final List<String> ACCOUNTS =
      List.of("acct|pipe", "acct\"quote\\back", "acct/slash/..", "acct %7C #?&=", "acct-plain");
  private static final int PER_ACCOUNT = 25;

  @TempDir Path dir;

  @Test
  void accountsWithReservedCharactersAreCountedAndHostileLinesDeadLettered() throws Exception {
    Random random = new Random(7);
    List<String> valid = new ArrayList<>();
    // Valid events in event-time order, one second apart, round-robin over the accounts.
    for (int i = 0; i < PER_ACCOUNT * ACCOUNTS.size(); i++) {
      String account = ACCOUNTS.get(i % ACCOUNTS.size());
      String eventId = i < ACCOUNTS.size() ? "shared|id" : "e|" + i;
      valid.add(
          CODEC.writeEvent(
              new QueryEvent(
                  eventId,
                  account,
                  START.plusSeconds(i),
                  "please explain topic " + random.nextInt(50) + " in simple words",
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null)));
    }
    List<String> hostile =
        List.of(
            "",
            "null",
            "{\"event_id\":\"x\",\"account_id\":\"acct\\u0007\",\"timestamp\":\"2026-10-05T00:00:01Z\",\"prompt\":\"p\"}",
            "{\"event_id\":\""
                + "x".repeat(129)
                + "\",\"account_id\":\"a\",\"timestamp\":\"2026-10-05T00:00:01Z\",\"prompt\":\"p\"}",
            "{\"event_id\":\"y\",\"account_id\":\"acct|pipe\",\"timestamp\":\"9999-12-31T23:59:59Z\",\"prompt\":\"p\"}",
            "{\"event_id\":\"z\",\"account_id\":\"acct|pipe\",\"timestamp\":\"2026-10-05T00:00:01Z\",\"prompt\":\"\\uD800\"}",
            "{\"event_id\":\"w\",\"account_id\":\"acct|pipe\",\"timestamp\":\"2026-10-05T00:00:01Z\",\"prompt\":\"p\",\"x\":"
                + "[".repeat(3000)
                + "]".repeat(3000)
                + "}",
            "{\"event_id\":\"v\",\"account_id\":\"acct|pipe\"");
    List<String> lines = new ArrayList<>(valid);
    for (String h : hostile) {
      lines.add(random.nextInt(lines.size() + 1), h);
    }
    Path events = Files.write(dir.resolve("events.jsonl"), lines);
    Path profiles =
        Files.write(
            dir.resolve("profiles.jsonl"),
            List.of(
                "{\"account_id\":\"acct|pipe\",\"stated_use\":\"customer support for an airline\"}",
                "{\"account_id\":\"acct\\u0000\",\"stated_use\":\"x\"}"));
    Path data = dir.resolve("data");

    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
      ReplayOutcome outcome =
          LocalPipeline.replay(
              new ReplayRequest(
                  profiles,
                  events,
                  data,
                  receiver.reviewUrl(),
                  SECRET,
                  Optional.empty(),
                  Optional.empty(),
                  2),
              new PrintWriter(new StringWriter()));

      assertThat(outcome.succeeded()).as(outcome.failureMessage()).isTrue();
      assertThat(outcome.observations()).isEqualTo(valid.size());
      assertThat(outcome.deadLetters()).isEqualTo(hostile.size() + 1);
      Map<String, Long> counted =
          outcome.accounts().stream()
              .collect(Collectors.toMap(AccountStatus::accountId, AccountStatus::queriesObserved));
      Map<String, Long> expected =
          ACCOUNTS.stream().collect(Collectors.toMap(a -> a, a -> (long) PER_ACCOUNT));
      assertThat(counted).isEqualTo(expected);
    }
    try (VectorStore store = VectorStores.open(StoreSettings.embedded(data))) {
      assertThat(store.count(RecordFilter.all())).isEqualTo(valid.size());
      for (String account : ACCOUNTS) {
        assertThat(store.count(RecordFilter.account(account))).isEqualTo(PER_ACCOUNT);
      }
    }
  }
}
