package io.distillguard.actors.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.LocalServiceSetup;
import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.account.AccountEntity;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An account event this node cannot read (as a node of an older version meets an event type added
 * since) stops the account effects projection at it: nothing after it is projected and nothing is
 * skipped. The stall shows in /metrics (events and seconds behind, failures counted) while the
 * decisions made meanwhile wait in the journal; once the event is gone (here removed, as an upgrade
 * would make it readable) the projection goes on and every webhook of those decisions arrives.
 */
class StalledProjectionIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension final LocalServiceSetup local = new LocalServiceSetup();

  @Test
  void anUnreadableEventStallsTheEffectsVisiblyAndLosesNothing() throws Exception {
    WebhookReceiver receiver = local.receiver();
    try (ActorService service = ActorService.start(local.settings(), null, null)) {
      StateDatabase db = service.node().db();
      long unreadable = insertUnreadableAccountEvent(db);

      service
          .intake()
          .recordBatch(TestFixtures.campaign("acct-stalled"))
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);

      // The decisions are journaled; their effects wait behind the unreadable event.
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> scraped(service, "distillguard_projection_failures_total") >= 2);
      String scrape = service.metrics().scrape();
      assertThat(value(scrape, "distillguard_projection_behind_events")).isGreaterThan(1);
      assertThat(value(scrape, "distillguard_projection_behind_seconds")).isGreaterThan(0);
      assertThat(service.node().projection().storedOffset()).isLessThan(unreadable);
      assertThat(receiver.bodies()).isEmpty();
      assertThat(service.awaitSettled(Duration.ofSeconds(2))).isFalse();

      removeEvent(db, unreadable);

      assertThat(service.awaitSettled(Duration.ofSeconds(60))).isTrue();
      List<String> types = new ArrayList<>();
      for (String body : receiver.bodies().values()) {
        JsonNode n = JSON.readTree(body);
        assertThat(n.path("data").path("account_id").asText()).isEqualTo("acct-stalled");
        types.add(n.path("type").asText() + ":" + n.path("data").path("level").asText());
      }
      assertThat(types)
          .containsExactlyInAnyOrder(
              "account.review_requested:WATCH",
              "account.review_requested:REVIEW",
              "account.review_requested:THROTTLE",
              "account.throttled:THROTTLE");
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> scraped(service, "distillguard_projection_behind_events") == 0);
      assertThat(scraped(service, "distillguard_projection_behind_seconds")).isZero();
    }
  }

  /** Journals an account event with a serializer id no node knows, tagged for the effects. */
  private static long insertUnreadableAccountEvent(StateDatabase db) {
    return db.transact(
        c -> {
          long ordering;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO \"event_journal\" (\"persistence_id\", \"sequence_number\","
                      + " \"deleted\", \"writer\", \"write_timestamp\", \"adapter_manifest\","
                      + " \"event_payload\", \"event_ser_id\", \"event_ser_manifest\")"
                      + " VALUES (?, 1, FALSE, 'a-newer-node', ?, '', ?, 987654, 'NewerEvent')",
                  Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, "Account|acct-from-a-newer-node");
            ps.setLong(2, System.currentTimeMillis());
            ps.setBytes(3, new byte[] {1, 2, 3});
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT \"ordering\" FROM \"event_journal\" WHERE \"persistence_id\" = ?");
              PreparedStatement tag =
                  c.prepareStatement(
                      "INSERT INTO \"event_tag\" (\"event_id\", \"tag\") VALUES (?, ?)")) {
            ps.setString(1, "Account|acct-from-a-newer-node");
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              ordering = rs.getLong(1);
            }
            tag.setLong(1, ordering);
            tag.setString(2, AccountEntity.EFFECTS_TAG);
            tag.executeUpdate();
          }
          return ordering;
        });
  }

  private static void removeEvent(StateDatabase db, long ordering) {
    db.transact(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM \"event_journal\" WHERE \"ordering\" = ?")) {
            ps.setLong(1, ordering);
            return ps.executeUpdate();
          }
        });
  }

  private static double scraped(ActorService service, String series) {
    return value(service.metrics().scrape(), series);
  }

  /** The account effects projection's sample of {@code series} in a scrape. */
  private static double value(String scrape, String series) {
    Matcher m =
        Pattern.compile(
                "(?m)^"
                    + series
                    + "\\{projection=\""
                    + EffectsProjection.NAME
                    + "\"[^}]*\\} ([0-9.eE+-]+)$")
            .matcher(scrape);
    assertThat(m.find()).as(series + " in\n" + scrape).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
