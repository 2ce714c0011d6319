package io.distillguard.actors.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.StateDatabase;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import io.distillguard.signals.SignalSnapshot;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Follow-up {@code campaign.review_requested} messages of an escalated campaign that accounts keep
 * joining: one once the campaign has grown by the configured share of the members its last message
 * listed, naming every account that joined since and listing every member; one per joining account
 * at a growth of 0; an erased account is not named; a verdict leaves nothing waiting.
 */
class CampaignFollowUpsTest {

  private static final long T0 = 1_791_158_400_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private long seq = 100;

  @Test
  void aGrowingCampaignNamesItsJoinersOnceItHasGrownByATenth() throws Exception {
    try (StateDatabase db = open()) {
      growingCampaign(db);
    }
  }

  /** The scenario on {@code db} (also run on PostgreSQL: {@code CampaignRowsPostgresIT}). */
  void growingCampaign(StateDatabase db) throws Exception {
    Outbox outbox = new Outbox(db);
    CampaignWebhooks webhooks = new CampaignWebhooks(outbox, true, 0.1);
    escalate(db, webhooks, 20);

    join(db, webhooks, "acct-21"); // 21 < 20 + 2: waits
    assertThat(followUps(outbox)).isEmpty();
    join(db, webhooks, "acct-22"); // 22: names both
    assertThat(followUps(outbox)).hasSize(1);
    JsonNode first = followUps(outbox).get(0);
    assertThat(texts(first.path("joined"))).containsExactly("acct-21", "acct-22");
    assertThat(first.path("accounts")).hasSize(22);
    assertThat(first.path("evidence")).hasSize(22);

    join(db, webhooks, "acct-23"); // due at 22 + 3 = 25
    join(db, webhooks, "acct-24");
    assertThat(followUps(outbox)).hasSize(1);
    // An erasure takes acct-23 out of the campaign: it is not named later.
    db.transact(c -> CampaignWithdrawal.withdraw(c, "cmp-1", a -> !a.equals("acct-23")));
    join(db, webhooks, "acct-25");
    join(db, webhooks, "acct-26");
    List<JsonNode> all = followUps(outbox);
    assertThat(all).hasSize(2);
    assertThat(texts(all.get(1).path("joined"))).containsExactly("acct-24", "acct-25", "acct-26");
    assertThat(texts(all.get(1).path("accounts"))).hasSize(25).doesNotContain("acct-23");

    // A reviewer's verdict lists every member: whoever waited is not named afterwards.
    join(db, webhooks, "acct-27");
    assertThat(pending(db)).isEqualTo("acct-27");
    db.transact(
        c -> webhooks.reviewed(c, "cmp-1", Level.CONFIRMED, "ana", null, T0, seq++, T0 + seq));
    assertThat(pending(db)).isNull();
  }

  @Test
  void atAGrowthOfZeroEveryJoiningAccountHasItsFollowUp() throws Exception {
    try (StateDatabase db = open()) {
      Outbox outbox = new Outbox(db);
      CampaignWebhooks webhooks = new CampaignWebhooks(outbox, true, 0);
      escalate(db, webhooks, 20);
      for (int i = 21; i <= 24; i++) {
        join(db, webhooks, "acct-" + i);
      }
      List<JsonNode> all = followUps(outbox);
      assertThat(all).hasSize(4);
      for (int i = 0; i < 4; i++) {
        assertThat(texts(all.get(i).path("joined"))).containsExactly("acct-" + (21 + i));
      }
    }
  }

  @Test
  void growingOneAccountAtATimeToThousandsSendsAFewDozenFollowUps() throws Exception {
    try (StateDatabase db = open()) {
      Outbox outbox = new Outbox(db);
      CampaignWebhooks webhooks = new CampaignWebhooks(outbox, true, 0.1);
      escalate(db, webhooks, 5);
      for (int i = 6; i <= 2_000; i++) {
        join(db, webhooks, "acct-" + i);
      }
      List<JsonNode> all = followUps(outbox);
      // 5 -> 2,000 by a tenth (at least one) at a time: a few dozen, not 1,995.
      assertThat(all).hasSizeBetween(40, 80);
      long named = all.stream().mapToLong(d -> d.path("joined").size()).sum();
      String waiting = pending(db);
      int stillWaiting = waiting == null ? 0 : waiting.split("\n").length;
      // Every joining account is named once, or still waits for the next follow-up.
      assertThat(named + stillWaiting).isEqualTo(1_995);
    }
  }

  private void escalate(StateDatabase db, CampaignWebhooks webhooks, int members) {
    List<String> accounts = new ArrayList<>();
    for (int i = 1; i <= members; i++) {
      accounts.add("acct-" + i);
    }
    db.transact(
        c -> {
          for (String a : accounts) {
            webhooks.membersJoined(c, "cmp-1", List.of(a), List.of(), seq++, T0);
          }
          return webhooks.levelDecided(
              c,
              "cmp-1",
              Level.REVIEW,
              accounts,
              List.of(),
              List.of(new Reason("split-sweep", "complementarity", 2.3, 1.5)),
              new SignalSnapshot(
                  100, T0, Map.of("union_coverage_breadth", 0.7, "mean_member_breadth", 0.3)),
              true,
              seq++,
              T0);
        });
  }

  private void join(StateDatabase db, CampaignWebhooks webhooks, String account) {
    long s = seq++;
    db.transact(c -> webhooks.membersJoined(c, "cmp-1", List.of(account), List.of(), s, T0 + s));
  }

  private static List<JsonNode> followUps(Outbox outbox) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (Delivery d : outbox.list(Delivery.Status.PENDING, 10_000)) {
      JsonNode data = JSON.readTree(d.body()).path("data");
      if (data.path("follow_up").asBoolean()) {
        out.add(data);
      }
    }
    out.sort(java.util.Comparator.comparingInt(n -> n.path("accounts").size()));
    return out;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String pending(StateDatabase db) {
    return db.transact(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT pending_joined FROM dg_campaign WHERE campaign_id = 'cmp-1'");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
          }
        });
  }

  private StateDatabase open() {
    return StateDatabase.open("jdbc:h2:file:" + dir.resolve("state") + ";WRITE_DELAY=0", "sa", "");
  }
}
