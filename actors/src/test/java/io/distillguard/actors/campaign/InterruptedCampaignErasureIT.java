package io.distillguard.actors.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.ClusterSettings;
import io.distillguard.actors.api.EvidenceSource;
import io.distillguard.actors.erasure.CampaignErasure;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.observe.AccountObservation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An erasure interrupted right after a campaign journaled its {@link CampaignEntity.MemberErased}
 * fact (before the erasure's own transaction) is completed by the campaign effects projection: the
 * campaign's events before the fact go, its row and its review-request payloads stop naming the
 * member, and the campaign keeps every other member.
 */
class InterruptedCampaignErasureIT {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String GONE = "swarm-3";

  @TempDir Path dir;

  @Test
  void theProjectionCompletesAnErasureInterruptedAfterTheFact() throws Exception {
    ActorSettings settings;
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
      settings =
          ActorSettings.defaults(dir.resolve("data"))
              .withWebhook(receiver.url("/review"), SECRET)
              .withHttp("127.0.0.1", -1, null);
      try (ActorService service =
          ActorService.startWith(
              settings, ClusterSettings.local(), new EvidenceSource.Unavailable("not needed"))) {
        for (AccountObservation o : SwarmTraffic.swarm("swarm-", 8, 12)) {
          service.intake().record(o).toCompletableFuture().join();
        }
        String id = service.campaigns().campaignOf(GONE).orElseThrow();
        assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
        assertThat(campaignBytes(settings, id)).anyMatch(b -> b.contains(GONE));

        // Only the entity's part of an erasure: the fact is journaled, nothing else.
        long fact =
            ClusterSharding.get(service.system())
                .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, id)
                .<Long>askWithStatus(
                    r -> new CampaignEntity.EraseMember(GONE, r), Duration.ofSeconds(10))
                .toCompletableFuture()
                .join();
        assertThat(fact).isPositive();

        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> assertThat(campaignBytes(settings, id)).noneMatch(b -> b.contains(GONE)));
        assertThat(service.campaign(id).toCompletableFuture().join().members())
            .hasSize(7)
            .doesNotContain(GONE);
      }
    }
  }

  /**
   * Everything stored about the campaign, as text: its journal payloads, its row and its outbox
   * payloads.
   */
  private static List<String> campaignBytes(ActorSettings settings, String id) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(settings.effectiveJournalUrl(), "sa", "")) {
      query(
          c,
          "SELECT \"event_payload\" FROM \"event_journal\" WHERE \"persistence_id\" = ?",
          CampaignErasure.persistenceId(id),
          out);
      query(c, "SELECT members FROM dg_campaign WHERE campaign_id = ?", id, out);
      query(c, "SELECT body FROM dg_delivery WHERE account_id = ?", id, out);
    }
    return out;
  }

  private static void query(Connection c, String sql, String key, List<String> out)
      throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Object v = rs.getObject(1);
          out.add(
              v instanceof String s
                  ? s
                  : new String(
                      v instanceof java.sql.Blob b ? b.getBytes(1, (int) b.length()) : (byte[]) v,
                      StandardCharsets.UTF_8));
        }
      }
    }
  }
}
