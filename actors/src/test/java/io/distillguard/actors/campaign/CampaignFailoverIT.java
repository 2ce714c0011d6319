package io.distillguard.actors.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.PostgresServer;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.TwoNodeCluster;
import io.distillguard.actors.escalation.CampaignWebhooks;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Campaign ids survive a failover of the grouping singleton (two nodes on 127.0.0.1, one throwaway
 * PostgreSQL): node A, the oldest, holds the grouping while two operations form campaigns X and Y;
 * A leaves, the grouping restarts on B with empty link tables and recovers who belongs where from
 * the campaign rows. The swarm's traffic that follows, with two new members, continues X; then Y's
 * accounts switch to X's scaffold and infrastructure, so one group spans both campaigns: Y merges
 * into X, once, and one live campaign remains, with every member flagged under X.
 */
class CampaignFailoverIT {

  @TempDir Path dir;

  @Test
  void aFailoverKeepsTheCampaignIdAndAMergeLeavesOneLiveCampaign() throws Exception {
    try (TwoNodeCluster cluster = TwoNodeCluster.start(dir)) {
      ActorService a = cluster.a();
      ActorService b = cluster.b();
      PostgresServer database = cluster.database();

      // Before: two operations, each its own campaign, recorded across both nodes.
      List<AccountObservation> before = new ArrayList<>();
      for (int m = 0; m < 8; m++) {
        before.addAll(
            SwarmTraffic.memberWith(
                "swarm-" + m,
                m,
                8,
                12,
                SwarmTraffic.T1 - 86_400_000L,
                "e",
                SwarmTraffic.swarmKeys(m)));
        before.addAll(
            SwarmTraffic.memberWith(
                "twin-" + m,
                m,
                8,
                12,
                SwarmTraffic.T1 - 86_400_000L,
                "e",
                SwarmTraffic.twinKeys(m)));
      }
      record(before, a, b);
      String x = a.campaigns().campaignOf("swarm-0").orElseThrow();
      String y = a.campaigns().campaignOf("twin-0").orElseThrow();
      assertThat(x).isNotEqualTo(y);
      awaitRow(database, x, 8, Level.REVIEW);
      awaitRow(database, y, 8, Level.REVIEW);

      // A leaves: the grouping singleton moves to B and recovers the memberships.
      cluster.stopA();

      // The swarm carries on (and grows by two): the same campaign, not a new one.
      List<AccountObservation> after = new ArrayList<>();
      for (int m = 0; m < 10; m++) {
        after.addAll(
            SwarmTraffic.memberWith(
                "swarm-" + m, m, 10, 6, SwarmTraffic.T1, "f", SwarmTraffic.swarmKeys(m)));
      }
      record(after, b, b);
      for (int m = 0; m < 10; m++) {
        assertThat(b.campaigns().campaignOf("swarm-" + m)).as("swarm-%d", m).contains(x);
      }
      assertThat(TestFixtures.campaignStatus(b, x).members()).hasSize(10);
      awaitRow(database, x, 10, Level.REVIEW);

      // Y's accounts now run through X's scaffold and addresses: one group, one live campaign.
      List<AccountObservation> bridged = new ArrayList<>();
      for (int m = 0; m < 8; m++) {
        bridged.addAll(
            SwarmTraffic.memberWith(
                "twin-" + m,
                m,
                8,
                6,
                SwarmTraffic.T1 + 3_600_000L,
                "f",
                SwarmTraffic.swarmKeys(m)));
      }
      record(bridged, b, b);
      for (int m = 0; m < 8; m++) {
        assertThat(b.campaigns().campaignOf("twin-" + m)).as("twin-%d", m).contains(x);
      }
      CampaignEntity.CampaignStatus survivor = TestFixtures.campaignStatus(b, x);
      assertThat(survivor.members()).hasSize(18);
      assertThat(survivor.level()).isEqualTo(Level.REVIEW);
      assertThat(survivor.mergedInto()).isNull();
      assertThat(TestFixtures.campaignStatus(b, y).mergedInto()).isEqualTo(x);
      ActorService live = b;
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                assertThat(live.campaignIds(null, 100)).containsExactly(x);
                try (Connection c = connect(database)) {
                  assertThat(CampaignWebhooks.row(c, y).orElseThrow().mergedInto()).isEqualTo(x);
                  assertThat(CampaignWebhooks.row(c, x).orElseThrow().members()).hasSize(18);
                }
                // Every member's case points at the one live campaign.
                for (int m = 0; m < 8; m++) {
                  AccountStatus s = live.status("twin-" + m).toCompletableFuture().get();
                  assertThat(s.level()).as("twin-%d", m).isEqualTo(Level.REVIEW);
                  assertThat(s.campaignId()).as("twin-%d", m).isEqualTo(x);
                }
                for (int m = 0; m < 10; m++) {
                  AccountStatus s = live.status("swarm-" + m).toCompletableFuture().get();
                  assertThat(s.campaignId()).as("swarm-%d", m).isEqualTo(x);
                }
              });
      // Both effects projections report, from the shared database, that nothing waits.
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(live.metrics().scrape())
                      .containsPattern(
                          "(?m)^distillguard_projection_behind_events"
                              + "\\{projection=\"account-effects\"\\} 0\\.0$")
                      .containsPattern(
                          "(?m)^distillguard_projection_behind_events"
                              + "\\{projection=\"campaign-effects\"\\} 0\\.0$"));
    }
  }

  /** Even accounts through the first node, odd ones through the second, in event-time order. */
  private static void record(List<AccountObservation> traffic, ActorService even, ActorService odd)
      throws Exception {
    traffic.sort(Comparator.comparingLong(AccountObservation::eventTimeMillis));
    for (AccountObservation o : traffic) {
      int n = Integer.parseInt(o.accountId().replaceAll("\\D", ""));
      (n % 2 == 0 ? even : odd).intake().record(o).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static Connection connect(PostgresServer database) throws Exception {
    return DriverManager.getConnection(database.jdbcUrl(), PostgresServer.USER, "");
  }

  /** Waits until the projection wrote the campaign's row with its members and level. */
  private static void awaitRow(PostgresServer database, String id, int members, Level level) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              try (Connection c = connect(database)) {
                Optional<CampaignWebhooks.Row> row = CampaignWebhooks.row(c, id);
                assertThat(row).isPresent();
                assertThat(row.get().members()).hasSize(members);
                assertThat(row.get().level()).isEqualTo(level);
              }
            });
  }
}
