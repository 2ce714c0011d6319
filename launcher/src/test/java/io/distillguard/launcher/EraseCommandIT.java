package io.distillguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.erasure.DatabaseScan;
import io.distillguard.campaign.LinkHasher;
import io.distillguard.campaign.LinkKey;
import io.distillguard.campaign.LinkType;
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
 * journal, index, vector records and dead letters are gone, no table holds a byte of its id (its
 * campaign's journal and row included), another account's remain, and the service started again on
 * the data dir knows nothing of the account while its campaign goes on with the other members.
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
    String campaign;
    try (ActorService service = ActorService.start(settings, null, null)) {
      for (String account : List.of("acct-gone", "acct-kept", "acct-third")) {
        for (int i = 0; i < 5; i++) {
          service
              .intake()
              .record(observation(account + "-e" + i, account, T0 + i * 1000L, category))
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
        }
      }
      // One IP, one user agent, one sign-up burst: the three are linked into one campaign.
      campaign = service.campaigns().campaignOf("acct-kept").orElseThrow();
      assertThat(service.campaigns().campaignOf("acct-gone")).contains(campaign);
      assertThat(service.awaitSettled(Duration.ofSeconds(30))).isTrue();
      assertThat(members(service, campaign)).contains("acct-gone", "acct-kept", "acct-third");
    }
    assertThat(DatabaseScan.containing(settings, "acct-gone"))
        .contains("dg_campaign", "event_journal");
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
        .containsPattern("dead letters +1")
        .containsPattern("campaigns +1")
        .containsPattern("campaign events +[1-9]");
    // No byte of the account in any table, its campaign's journal included.
    assertThat(DatabaseScan.containing(settings, "acct-gone")).isEmpty();

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
      // The campaign recovers from its erasure fact with the two other members, and the
      // projection restates its row from it.
      assertThat(members(again, campaign)).containsExactlyInAnyOrder("acct-kept", "acct-third");
      assertThat(again.awaitSettled(Duration.ofSeconds(30))).isTrue();
      assertThat(DatabaseScan.containing(settings, "acct-gone")).isEmpty();
      assertThat(DatabaseScan.containing(settings, "acct-third"))
          .contains("dg_campaign", "event_journal");
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

  private static List<String> members(ActorService service, String campaign) throws Exception {
    return service.campaign(campaign).toCompletableFuture().get(30, TimeUnit.SECONDS).members();
  }

  private static final String[] LINK_KEYS = {
    LinkHasher.localDefault().key(LinkType.IP, "198.51.100.80").wire(),
    LinkHasher.localDefault().key(LinkType.USER_AGENT, "Mozilla/5.0 (X11) Firefox/133.0").wire(),
    LinkHasher.localDefault().key(LinkType.SIGNUP_BURST, "h492880").wire()
  };

  private static AccountObservation observation(
      String eventId, String accountId, long eventTimeMillis, String category) {
    return plainObservation(eventId, accountId, eventTimeMillis, category)
        .withLinkKeys(LINK_KEYS, LinkKey.parse(LINK_KEYS[0]).value());
  }

  private static AccountObservation plainObservation(
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
        null, // no declared organisation: its members would be judged as one principal
        null,
        null,
        null,
        null,
        null);
  }
}
