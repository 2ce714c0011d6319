package io.distillguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.observe.AccountObservation;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.RecordFilter;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./distillguard erase --account ID} over a data dir the local mode wrote: the account's
 * journal, index, vector records and dead letters are gone, another account's remain, and the
 * service started again on the data dir knows nothing of the account.
 */
class EraseCommandIT {

  private static final long T0 = 1_791_158_400_000L;

  @TempDir Path dir;

  @Test
  void erasesOneAccountFromADataDir() throws Exception {
    Path dataDir = dir.resolve("data");
    String category = CapabilityTaxonomy.loadDefault().names().get(0);
    ActorSettings settings =
        ActorSettings.defaults(dataDir).withHttp("127.0.0.1", -1, null).withSnapshotEvery(2);
    try (ActorService service = ActorService.start(settings, null, null)) {
      for (String account : List.of("acct-gone", "acct-kept")) {
        for (int i = 0; i < 5; i++) {
          service
              .intake()
              .record(observation(account + "-e" + i, account, T0 + i * 1000L, category))
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
        }
      }
      assertThat(service.awaitSettled(Duration.ofSeconds(30))).isTrue();
    }
    try (VectorStore store = VectorStores.open(StoreSettings.embedded(dataDir))) {
      for (String account : List.of("acct-gone", "acct-kept")) {
        store.upsert(
            List.of(
                new QueryRecord(
                    account + "-e0",
                    account,
                    T0,
                    category,
                    0.1f,
                    "a prompt",
                    new float[384],
                    Map.of())));
      }
    }
    Files.writeString(
        dataDir.resolve("dead-letters.jsonl"),
        "{\"source\":\"events.jsonl\",\"reason\":\"x\",\"line\":\"{\\\"account_id\\\":"
            + "\\\"acct-gone\\\"}\",\"received_at\":\"2026-10-05T00:00:00Z\"}\n");

    StringWriter out = new StringWriter();
    CommandLine cli = DistillGuardCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    int exit = cli.execute("erase", "--account", "acct-gone", "--data-dir", dataDir.toString());
    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString())
        .contains("erased account acct-gone")
        .containsPattern("journal events +[1-9]")
        .containsPattern("vector records +1")
        .containsPattern("dead letters +1");

    assertThat(journalRows(settings, "acct-gone")).isZero();
    assertThat(journalRows(settings, "acct-kept")).isPositive();
    assertThat(Files.readString(dataDir.resolve("dead-letters.jsonl"))).isEmpty();
    try (VectorStore store = VectorStores.open(StoreSettings.embedded(dataDir))) {
      assertThat(store.count(RecordFilter.account("acct-gone"))).isZero();
      assertThat(store.count(RecordFilter.account("acct-kept"))).isOne();
    }
    try (ActorService again = ActorService.start(settings, null, null)) {
      assertThat(again.status("acct-gone").toCompletableFuture().get().queriesObserved()).isZero();
      assertThat(again.status("acct-kept").toCompletableFuture().get().queriesObserved())
          .isEqualTo(5);
    }
  }

  private static long journalRows(ActorSettings settings, String account) throws Exception {
    try (Connection c = DriverManager.getConnection(settings.effectiveJournalUrl(), "sa", "");
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT (SELECT COUNT(*) FROM \"event_journal\" WHERE \"persistence_id\" = ?)"
                    + " + (SELECT COUNT(*) FROM \"snapshot\" WHERE \"persistence_id\" = ?)"
                    + " + (SELECT COUNT(*) FROM dg_account WHERE account_id = ?)")) {
      ps.setString(1, "Account|" + account);
      ps.setString(2, "Account|" + account);
      ps.setString(3, account);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static AccountObservation observation(
      String eventId, String accountId, long eventTimeMillis, String category) {
    return new AccountObservation(
        eventId,
        accountId,
        eventTimeMillis,
        category,
        0.8f,
        0.1f,
        eventId.hashCode(),
        1L,
        120,
        40,
        200,
        1.2,
        "key-1",
        "10.0.0.1",
        "bench/1.0",
        "org-1",
        null,
        null);
  }
}
