package io.distillguard.actors.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.account.AccountEntity;
import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.actors.campaign.SwarmTraffic;
import io.distillguard.actors.erasure.CampaignErasure;
import io.distillguard.actors.escalation.Delivery;
import io.distillguard.actors.escalation.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention of the actor side's database: delivered webhooks older than the retention go,
 * journal events behind a snapshot go once projected, and an entity still recovers its full state
 * from the snapshot afterwards.
 */
class RetentionIT {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @TempDir Path dir;

  @Test
  void deliveredWebhooksAndJournalEventsBehindSnapshotsGo() throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, TestFixtures.POLICY_YAML);
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
      ActorSettings settings =
          ActorSettings.defaults(dir.resolve("data"))
              .withWebhook(receiver.url("/review"), SECRET)
              .withHttp("127.0.0.1", -1, null)
              .withRetry(TestFixtures.QUICK_RETRY, Duration.ofSeconds(5))
              .withSnapshotEvery(3)
              .withPolicyFile(policy)
              .withRetention(Duration.ofSeconds(1));
      long journalBefore;
      try (ActorService service = ActorService.start(settings, null, null)) {
        TestFixtures.record(service, TestFixtures.campaign("acct-r"));
        assertThat(service.awaitSettled(Duration.ofSeconds(30))).isTrue();
        assertThat(service.deliveryCounts().get(Delivery.Status.DELIVERED)).isPositive();
        journalBefore = journalEvents(settings);
        // Settled more than the retention ago: the next sweep deletes them.
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () -> {
                  service.retention().sweep();
                  assertThat(service.deliveryCounts().getOrDefault(Delivery.Status.DELIVERED, 0L))
                      .isZero();
                });
        long journalAfter = journalEvents(settings);
        assertThat(journalAfter).isPositive().isLessThan(journalBefore);
        // The sweep at start completed: /metrics says when.
        assertThat(service.metrics().scrape())
            .containsPattern("(?m)^distillguard_retention_last_success_seconds [1-9][0-9.E]*$")
            .containsPattern("(?m)^distillguard_retention_failures_total 0\\.0$");
      }
      // Recovery from the snapshot (and the events after it) gives the same account.
      try (ActorService again = ActorService.start(settings, null, null)) {
        assertThat(again.status("acct-r").toCompletableFuture().get().queriesObserved())
            .isEqualTo(8);
        assertThat(again.status("acct-r").toCompletableFuture().get().level().name())
            .isEqualTo("THROTTLE");
      }
    }
  }

  @Test
  void campaignEventsBehindSnapshotsGoOnceTheCampaignProjectionPassedThem() throws Exception {
    ActorSettings settings =
        ActorSettings.defaults(dir.resolve("campaign-data"))
            .withWebhook(null, null)
            .withThrottleUrl(null)
            .withHttp("127.0.0.1", -1, null)
            .withSnapshotEvery(3)
            .withRetention(Duration.ofSeconds(1));
    String id;
    String pid;
    long journalBefore;
    try (ActorService service = ActorService.start(settings, null, null)) {
      TestFixtures.record(service, SwarmTraffic.swarm("swarm-", 8, 12));
      assertThat(service.awaitSettled(Duration.ofSeconds(30))).isTrue();
      id = service.campaigns().campaignOf("swarm-0").orElseThrow();
      pid = CampaignErasure.persistenceId(id);
      journalBefore = journalEvents(settings, pid);
      assertThat(journalBefore).isGreaterThan(3);
      // Written more than the retention ago, behind a snapshot and projected: the sweep deletes
      // them (the account and campaign projections have both passed them).
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                service.retention().sweep();
                assertThat(journalEvents(settings, pid)).isLessThan(journalBefore);
              });
    }
    // The campaign recovers from its snapshot and the events after it: same members and level.
    try (ActorService again = ActorService.start(settings, null, null)) {
      CampaignEntity.CampaignStatus status = again.campaign(id).toCompletableFuture().get();
      assertThat(status.members()).hasSize(8);
      assertThat(status.level().name()).isEqualTo("REVIEW");
    }
  }

  @Test
  void aFailedSweepIsCountedAndTheLastSuccessStays() {
    ActorSettings settings = ActorSettings.defaults(dir.resolve("failing"));
    StateDatabase db =
        StateDatabase.open(
            settings.effectiveJournalUrl(),
            settings.journal().user(),
            settings.journal().password());
    try (RetentionSweeper sweeper =
        RetentionSweeper.start(
            db, Duration.ofHours(1), Duration.ofMillis(50), java.time.Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(20)).until(() -> sweeper.lastSuccessMillis() > 0);
      assertThat(sweeper.failures()).isZero();
      db.close(); // the database goes away: every later sweep fails
      // A sweep already running when the database closed may still succeed; the sweeps run one
      // after another, so none starting after the first failure can.
      await().atMost(Duration.ofSeconds(20)).until(() -> sweeper.failures() >= 1);
      long last = sweeper.lastSuccessMillis();
      await().atMost(Duration.ofSeconds(20)).until(() -> sweeper.failures() >= 3);
      assertThat(sweeper.lastSuccessMillis()).isEqualTo(last);
    }
  }

  private static long journalEvents(ActorSettings settings) throws Exception {
    return journalEvents(settings, AccountEntity.persistenceId("acct-r").id());
  }

  private static long journalEvents(ActorSettings settings, String persistenceId) throws Exception {
    try (Connection c = DriverManager.getConnection(settings.effectiveJournalUrl(), "sa", "");
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT COUNT(*) FROM \"event_journal\" WHERE \"persistence_id\" = ?")) {
      ps.setString(1, persistenceId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
