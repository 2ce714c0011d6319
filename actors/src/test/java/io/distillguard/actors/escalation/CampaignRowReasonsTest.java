package io.distillguard.actors.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.StateDatabase;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import io.distillguard.signals.SignalSnapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign's row keeps the reasons of the rules' latest decision (what `./distillguard campaigns`
 * prints after a replay): a member joining and a reviewer's verdict keep them, a new decision
 * replaces them, and the review request carries the same reasons.
 */
class CampaignRowReasonsTest {

  private static final long T0 = 1_791_158_400_000L;

  @TempDir Path dir;

  @Test
  void theRowKeepsTheLatestDecisionsReasonsThroughJoinsAndVerdicts() {
    try (StateDatabase db = open()) {
      keepsReasons(db);
    }
  }

  /** The scenario on {@code db} (also run on PostgreSQL: {@code CampaignRowsPostgresIT}). */
  static void keepsReasons(StateDatabase db) {
    Outbox outbox = new Outbox(db);
    CampaignWebhooks webhooks = new CampaignWebhooks(outbox, true, 0);
    List<Reason> split =
        List.of(
            new Reason("split-sweep", "complementarity", 2.301, 1.5),
            new Reason("split-sweep", "scaffold_link_weight", 0.88, 0.5));
    SignalSnapshot signals =
        new SignalSnapshot(
            120,
            T0,
            Map.of(
                "complementarity", 2.301,
                "union_coverage_breadth", 0.7,
                "mean_member_breadth", 0.3));
    db.transact(
        c -> {
          webhooks.membersJoined(c, "cmp-1", List.of("a-1"), List.of(), 1, T0);
          return webhooks.levelDecided(
              c, "cmp-1", Level.REVIEW, List.of("a-1"), List.of(), split, signals, true, 2, T0 + 1);
        });
    assertThat(row(db).reasons()).isEqualTo(split);
    assertThat(outbox.list(Delivery.Status.PENDING, 10))
        .singleElement()
        .extracting(Delivery::body)
        .asString()
        .contains(
            "\"reasons\":[{\"rule\":\"split-sweep\",\"signal\":\"complementarity\","
                + "\"value\":2.301,\"threshold\":1.5}");

    db.transact(
        c -> {
          webhooks.membersJoined(c, "cmp-1", List.of("a-2"), List.of(), 3, T0 + 2);
          return webhooks.reviewed(c, "cmp-1", Level.CONFIRMED, "ana", null, T0 + 3, 4, T0 + 3);
        });
    CampaignWebhooks.Row reviewed = row(db);
    assertThat(reviewed.level()).isEqualTo(Level.CONFIRMED);
    assertThat(reviewed.members()).containsExactly("a-1", "a-2");
    assertThat(reviewed.reasons()).isEqualTo(split);

    List<Reason> volume =
        List.of(new Reason("registered-together-sweep-volume", "off_use_queries", 82, 40));
    db.transact(
        c ->
            webhooks.levelDecided(
                c,
                "cmp-1",
                Level.REVIEW,
                List.of("a-1", "a-2"),
                List.of(),
                volume,
                signals,
                false,
                5,
                T0 + 4));
    assertThat(row(db).reasons()).isEqualTo(volume);
  }

  @Test
  void aCampaignTheRulesNeverDecidedHasNoReasons() {
    try (StateDatabase db = open()) {
      CampaignWebhooks webhooks = new CampaignWebhooks(new Outbox(db), false, 0);
      db.transact(c -> webhooks.membersJoined(c, "cmp-2", List.of("a-1"), List.of(), 1, T0));
      CampaignWebhooks.Row r = db.transact(c -> CampaignWebhooks.row(c, "cmp-2")).orElseThrow();
      assertThat(r.level()).isEqualTo(Level.OK);
      assertThat(r.reasons()).isEmpty();
    }
  }

  @Test
  void theMembershipsTheGroupingRecoversLeaveDeclaredOrganisationsOut() {
    String principal = io.distillguard.campaign.CampaignDetector.orgId("acme-corp");
    try (StateDatabase db = open()) {
      CampaignWebhooks webhooks = new CampaignWebhooks(new Outbox(db), false, 0);
      db.transact(c -> webhooks.membersJoined(c, "cmp-3", List.of("a-1", "a-2"), List.of(), 1, T0));
      // The organisation's row is written last: a-1 is still the swarm's.
      db.transact(
          c -> webhooks.membersJoined(c, principal, List.of("a-1", "o-1"), List.of(), 1, T0 + 1));
      assertThat(db.transact(CampaignWebhooks::memberships))
          .containsExactlyInAnyOrderEntriesOf(Map.of("a-1", "cmp-3", "a-2", "cmp-3"));
    }
  }

  private StateDatabase open() {
    return StateDatabase.open("jdbc:h2:file:" + dir.resolve("state") + ";WRITE_DELAY=0", "sa", "");
  }

  private static CampaignWebhooks.Row row(StateDatabase db) {
    return db.transact(c -> CampaignWebhooks.row(c, "cmp-1")).orElseThrow();
  }
}
