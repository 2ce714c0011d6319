package io.distillguard.actors.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.ClusterSettings;
import io.distillguard.actors.PostgresServer;
import io.distillguard.actors.account.AccountEntity;
import io.distillguard.actors.api.EvidenceSource;
import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.actors.campaign.SwarmTraffic;
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
import org.apache.pekko.Done;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign's flag that was on its way to a member when the member was erased (read from {@code
 * dg_member_flag} before the erasure, delivered after the account's erasure marker) does not bring
 * the account back: no journal event after the marker, no flag, no message naming it, and the
 * campaign's later messages list only the members that remain (one service, throwaway PostgreSQL, a
 * webhook receiver).
 */
class ErasedMemberFlagIT {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String GONE = "swarm-3";

  @TempDir Path dir;

  @Test
  void aFlagInFlightDuringAnErasureDoesNotResurrectTheAccount() throws Exception {
    try (PostgresServer database = PostgresServer.start();
        WebhookReceiver receiver = WebhookReceiver.start(SECRET);
        ActorService service =
            ActorService.startWith(
                ActorSettings.defaults(dir.resolve("data"))
                    .withWebhook(receiver.url("/review"), SECRET)
                    .withThrottleUrl(receiver.url("/throttle"))
                    .withHttp("127.0.0.1", 0, null)
                    .withJournal(database.jdbcUrl(), PostgresServer.USER, ""),
                ClusterSettings.local(),
                new EvidenceSource.Unavailable("not needed here"))) {
      for (AccountObservation o : SwarmTraffic.swarm("swarm-", 8, 12)) {
        service.intake().record(o).toCompletableFuture().join();
      }
      String id = service.campaigns().campaignOf("swarm-0").orElseThrow();
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      assertThat(service.status(GONE).toCompletableFuture().join().campaignId()).isEqualTo(id);
      long flagCreated = System.currentTimeMillis();
      int before = receiver.received().size();

      service.erase(GONE, "dpo").toCompletableFuture().join();
      // The campaign's word, read by the flag delivery before the erasure, arrives after it and
      // is acknowledged (so the delivery forgets it) without being recorded.
      deliverFlag(service, id, flagCreated);
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();

      AccountStatus after = service.status(GONE).toCompletableFuture().join();
      assertThat(after.level()).isEqualTo(Level.OK);
      assertThat(after.campaignId()).isNull();
      assertThat(after.queriesObserved()).isZero();
      String pid = AccountEntity.persistenceId(GONE).id();
      try (Connection c = connect(database)) {
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .untilAsserted(
                () ->
                    assertThat(
                            count(
                                c,
                                "SELECT COUNT(*) FROM \"event_journal\" WHERE \"persistence_id\" = ?",
                                pid))
                        .as("journal events of the erased account (the marker goes too)")
                        .isZero());
        for (String table : List.of("dg_campaign_flag", "dg_member_flag", "dg_delivery")) {
          assertThat(count(c, "SELECT COUNT(*) FROM " + table + " WHERE account_id = ?", GONE))
              .as(table)
              .isZero();
        }
      }

      // A reviewer confirms the campaign: its message and its throttles name the members left.
      ClusterSharding.get(service.system())
          .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, id)
          .<CampaignEntity.CampaignStatus>askWithStatus(
              replyTo -> new CampaignEntity.ReviewCampaign(Level.CONFIRMED, "ana", "ok", replyTo),
              Duration.ofSeconds(10))
          .toCompletableFuture()
          .join();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () -> assertThat(service.throttles().active(System.currentTimeMillis())).hasSize(7));
      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      assertThat(service.status(GONE).toCompletableFuture().join().campaignId()).isNull();
      List<JsonNode> confirmed =
          receiver.received().stream()
              .filter(r -> r.type().equals("campaign.confirmed"))
              .map(WebhookReceiver.Received::data)
              .toList();
      assertThat(confirmed).hasSize(1);
      assertThat(confirmed.get(0).path("accounts")).hasSize(7);
      // Nothing sent since the erasure names the account: no message of its own, and the
      // campaign's messages list only the members left.
      List<WebhookReceiver.Received> all = receiver.received();
      List<String> since =
          all.subList(before, all.size()).stream().map(WebhookReceiver.Received::body).toList();
      assertThat(since).isNotEmpty().noneMatch(body -> body.contains(GONE));
    }
  }

  /** What {@code MemberFlags} sends for a row: the campaign's THROTTLE word, journal event 10^6. */
  private static void deliverFlag(ActorService service, String campaignId, long createdAt) {
    ClusterSharding.get(service.system())
        .entityRefFor(AccountEntity.ENTITY_TYPE_KEY, GONE)
        .<Done>askWithStatus(
            replyTo ->
                new AccountEntity.FlagByCampaign(
                    campaignId,
                    Level.THROTTLE,
                    1_000_000L,
                    List.of(new Reason("campaign-confirmed", "members", 8, 0)),
                    createdAt,
                    replyTo),
            Duration.ofSeconds(10))
        .toCompletableFuture()
        .join();
  }

  private static Connection connect(PostgresServer database) throws Exception {
    return DriverManager.getConnection(database.jdbcUrl(), PostgresServer.USER, "");
  }

  private static long count(Connection c, String sql, String key) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
