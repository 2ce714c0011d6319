package io.distillguard.actors.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.TwoNodeCluster;
import io.distillguard.actors.account.AccountEntity;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two actor-service nodes in one JVM form a Pekko cluster on 127.0.0.1 (artery, ephemeral ports,
 * node A the seed of node B) and share one PostgreSQL database (a throwaway server on 127.0.0.1)
 * for the journal and everything derived from it. Accounts whose shards live on node B are fed a
 * campaign; both nodes answer the throttle and account reads the same; node B then leaves and
 * stops; the accounts come up on node A, recovered from the journal with their query counts, levels
 * and signals intact, and keep counting.
 */
class TwoNodeClusterIT {

  private static final int ACCOUNTS = 12;

  @TempDir Path dir;

  @Test
  void anAccountMovesToTheSurvivingNodeWithItsState() throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, TestFixtures.POLICY_YAML);
    try (TwoNodeCluster cluster =
        TwoNodeCluster.start(dir, s -> s.withPolicyFile(policy).withSnapshotEvery(5))) {
      ActorService a = cluster.a();
      ActorService b = cluster.b();
      assertThat(b.readiness()).containsEntry("cluster-member-up", true);
      // Both shard regions registered with the coordinator, so new shards go to either node.
      await(() -> shardRegions(a) == 2, 30);

      // A campaign for each account, sent through node A: sharding routes each to its shard.
      List<String> accounts = new ArrayList<>();
      List<CompletableFuture<?>> acks = new ArrayList<>();
      for (int i = 0; i < ACCOUNTS; i++) {
        String account = "acct-" + i;
        accounts.add(account);
        for (AccountObservation o : TestFixtures.campaign(account)) {
          acks.add(a.intake().record(o).toCompletableFuture());
        }
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      // One database: each node answers the reads of the other's accounts, and the same.
      await(
          () ->
              a.throttles().active(System.currentTimeMillis()).size() == ACCOUNTS
                  && b.index().list(Level.THROTTLE, 100).size() == ACCOUNTS,
          30);
      assertThat(b.throttles().active(System.currentTimeMillis()))
          .extracting(d -> d.accountId())
          .containsExactlyInAnyOrderElementsOf(accounts);
      assertThat(a.index().list(null, 100)).isEqualTo(b.index().list(null, 100));

      Set<String> onB = entitiesHostedBy(b);
      assertThat(onB).as("accounts hosted by node B").isNotEmpty();
      assertThat(entitiesHostedBy(a)).doesNotContainAnyElementsOf(onB);
      Map<String, AccountStatus> before = new LinkedHashMap<>();
      for (String account : onB) {
        AccountStatus s = b.status(account).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(s.queriesObserved()).isEqualTo(8);
        assertThat(s.level()).isEqualTo(Level.THROTTLE);
        before.put(account, s);
      }

      // Node B leaves (coordinated shutdown: hand-off, leave, exit) and stops.
      cluster.stopB();

      for (Map.Entry<String, AccountStatus> e : before.entrySet()) {
        AccountStatus after = a.status(e.getKey()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(after.queriesObserved()).isEqualTo(e.getValue().queriesObserved());
        assertThat(after.level()).isEqualTo(e.getValue().level());
        assertThat(after.signals()).isEqualTo(e.getValue().signals());
      }
      assertThat(entitiesHostedBy(a)).containsAll(before.keySet());

      // The moved entity keeps counting, and a replayed event is still recognised.
      String moved = before.keySet().iterator().next();
      a.intake()
          .record(TestFixtures.campaign(moved).get(0))
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      a.intake()
          .record(
              TestFixtures.observation(
                  moved + "-after",
                  moved,
                  TestFixtures.T0 + 60_000,
                  TestFixtures.CATEGORIES.get(5)))
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      assertThat(a.status(moved).toCompletableFuture().get().queriesObserved()).isEqualTo(9);
    }
  }

  /** How many shard regions of the account entity the coordinator knows (0 on a timeout). */
  private static int shardRegions(ActorService node) {
    try {
      ShardRegion.ClusterShardingStats stats =
          AskPattern
              .<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
                  ShardRegion.ClusterShardingStats>
                  ask(
                      ClusterSharding.get(node.system()).shardState(),
                      replyTo ->
                          new GetClusterShardingStats(
                              AccountEntity.ENTITY_TYPE_KEY, Duration.ofSeconds(3), replyTo),
                      Duration.ofSeconds(5),
                      node.system().scheduler())
              .toCompletableFuture()
              .get(6, TimeUnit.SECONDS);
      return stats.getRegions().size();
    } catch (Exception e) {
      return 0;
    }
  }

  /** The account entities running in {@code node}'s local shard region. */
  private static Set<String> entitiesHostedBy(ActorService node) throws Exception {
    ShardRegion.CurrentShardRegionState state =
        AskPattern
            .<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
                ShardRegion.CurrentShardRegionState>
                ask(
                    ClusterSharding.get(node.system()).shardState(),
                    replyTo -> new GetShardRegionState(AccountEntity.ENTITY_TYPE_KEY, replyTo),
                    Duration.ofSeconds(10),
                    node.system().scheduler())
            .toCompletableFuture()
            .get(15, TimeUnit.SECONDS);
    Set<String> out = new HashSet<>();
    for (ShardRegion.ShardState shard : state.getShards()) {
      out.addAll(shard.getEntityIds());
    }
    return out;
  }

  private static void await(BooleanSupplier condition, int seconds) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(seconds))
        .pollInterval(Duration.ofMillis(50))
        .until(condition::getAsBoolean);
  }
}
