package io.distillguard.actors.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.TwoNodeCluster;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grouping is cluster-wide: two actor-service nodes (one Pekko cluster on 127.0.0.1, one throwaway
 * PostgreSQL) each record half of a swarm's members, yet the swarm forms ONE campaign, which
 * reaches REVIEW and flags every member, whichever node recorded it and whichever node is asked;
 * the NAT organisation, recorded across both nodes too, stays OK.
 */
class CampaignTwoNodeIT {

  @TempDir Path dir;

  @Test
  void aSwarmRecordedOnTwoNodesFormsOneCampaign() throws Exception {
    try (TwoNodeCluster cluster = TwoNodeCluster.start(dir)) {
      ActorService a = cluster.a();
      ActorService b = cluster.b();
      // Even members reach node A, odd ones node B (as a Kafka partitioning by account could).
      List<AccountObservation> traffic = SwarmTraffic.swarmBesideNatOrganisation();
      for (AccountObservation o : traffic) {
        int n = Integer.parseInt(o.accountId().replaceAll("\\D", ""));
        ActorService node = n % 2 == 0 ? a : b;
        node.intake().record(o).toCompletableFuture().get(30, TimeUnit.SECONDS);
      }

      String id = a.campaigns().campaignOf("swarm-0").orElseThrow();
      for (int m = 0; m < 8; m++) {
        assertThat(a.campaigns().campaignOf("swarm-" + m)).as("swarm-%d on A", m).contains(id);
        assertThat(b.campaigns().campaignOf("swarm-" + m)).as("swarm-%d on B", m).contains(id);
      }
      CampaignEntity.CampaignStatus status = TestFixtures.campaignStatus(b, id);
      assertThat(status.members()).hasSize(8);
      assertThat(status.level()).isEqualTo(Level.REVIEW);
      String nat = a.campaigns().campaignOf("nat-0").orElseThrow();
      assertThat(b.campaigns().campaignOf("nat-1")).contains(nat);

      // Every member is REVIEW through the campaign, read from either node; the NAT stays OK.
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                for (int m = 0; m < 8; m++) {
                  AccountStatus s =
                      (m % 2 == 0 ? b : a).status("swarm-" + m).toCompletableFuture().get();
                  assertThat(s.level()).as("swarm-%d", m).isEqualTo(Level.REVIEW);
                  assertThat(s.campaignId()).isEqualTo(id);
                }
                assertThat(a.index().list(Level.REVIEW, 100)).hasSize(8);
              });
      for (int i = 0; i < 10; i++) {
        AccountStatus s = a.status("nat-" + i).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(s.level()).isEqualTo(Level.OK);
        assertThat(s.campaignId()).isNull();
      }
      // The grouping is bounded and holds the 18 accounts once, for the whole cluster.
      CampaignGrouping.Stats stats = b.campaigns().stats();
      assertThat(stats.accounts()).isEqualTo(18);
      assertThat(stats.forgotten()).isZero();
    }
  }
}
