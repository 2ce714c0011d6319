package io.distillguard.actors.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.ClusterSettings;
import io.distillguard.actors.api.EvidenceSource;
import io.distillguard.actors.erasure.CampaignErasure;
import io.distillguard.actors.escalation.MemberFlags;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign's flag decided before a member's erasure and still waiting in {@code dg_member_flag}
 * (written by a projection batch that was in flight during the erasure) when the whole service
 * restarts: the account's entity has lost what it knew of the erasure (held in memory) and has a
 * new history, yet the flag never lands, because the delivery asks the campaign first and the
 * campaign answers from its journal. The same word for a member that stays is still delivered.
 */
class ErasedWordAfterRestartIT {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String GONE = "swarm-3";
  private static final String STAYS = "swarm-0";

  @TempDir Path dir;

  @Test
  void aFlagDecidedBeforeAnErasureDoesNotLandAfterARestart() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
      restartBetweenErasureAndDelivery(
          ActorSettings.defaults(dir.resolve("data"))
              .withWebhook(receiver.url("/review"), SECRET)
              .withHttp("127.0.0.1", -1, null));
    }
  }

  private static void restartBetweenErasureAndDelivery(ActorSettings settings) throws Exception {
    String id;
    long fact;
    try (ActorService service =
        ActorService.startWith(
            settings, ClusterSettings.local(), new EvidenceSource.Unavailable("not needed"))) {
      for (AccountObservation o : SwarmTraffic.swarm("swarm-", 8, 12)) {
        service.intake().record(o).toCompletableFuture().join();
      }
      id = service.campaigns().campaignOf(GONE).orElseThrow();
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      assertThat(service.status(GONE).toCompletableFuture().join().campaignId()).isEqualTo(id);

      service.erase(GONE, "dpo").toCompletableFuture().join();
      fact = lastSeq(settings, CampaignErasure.persistenceId(id));
      // A new history: the account sends traffic of its own after its erasure.
      for (AccountObservation o : SwarmTraffic.loner(GONE, 6, SwarmTraffic.T1)) {
        service.intake().record(o).toCompletableFuture().join();
      }
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      assertThat(service.status(GONE).toCompletableFuture().join().queriesObserved()).isEqualTo(6);
    }

    // While the service is down: the rows a batch in flight during the erasure wrote, decided by
    // the campaign's event just before its erasure fact (one names the erased account).
    try (Connection c = connect(settings)) {
      List<Reason> reasons = List.of(new Reason("campaign-confirmed", "members", 8, 0));
      MemberFlags.enqueue(c, GONE, id, Level.THROTTLE, fact - 1, reasons, SwarmTraffic.T1);
      MemberFlags.enqueue(c, STAYS, id, Level.THROTTLE, fact - 1, reasons, SwarmTraffic.T1);
    }

    try (ActorService service =
        ActorService.startWith(
            settings, ClusterSettings.local(), new EvidenceSource.Unavailable("not needed"))) {
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(pendingFlags(settings)).isZero());
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      AccountStatus gone = service.status(GONE).toCompletableFuture().join();
      assertThat(gone.queriesObserved()).isEqualTo(6);
      assertThat(gone.campaignId()).as("no campaign flag on the new history").isNull();
      assertThat(gone.level()).isNotEqualTo(Level.THROTTLE);
      // The same word for a member that stays was delivered.
      AccountStatus stays = service.status(STAYS).toCompletableFuture().join();
      assertThat(stays.campaignId()).isEqualTo(id);
      assertThat(stays.level()).isEqualTo(Level.THROTTLE);
    }
  }

  private static Connection connect(ActorSettings settings) throws Exception {
    return DriverManager.getConnection(settings.effectiveJournalUrl(), "sa", "");
  }

  private static long lastSeq(ActorSettings settings, String pid) throws Exception {
    try (Connection c = connect(settings);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT MAX(\"sequence_number\") FROM \"event_journal\""
                    + " WHERE \"persistence_id\" = ?")) {
      ps.setString(1, pid);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long pendingFlags(ActorSettings settings) throws Exception {
    try (Connection c = connect(settings);
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM dg_member_flag");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
