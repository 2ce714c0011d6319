package io.distillguard.actors.campaign;

import static io.distillguard.actors.campaign.CampaignEntityKit.BURST;
import static io.distillguard.actors.campaign.CampaignEntityKit.SCAFFOLD;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.distillguard.campaign.CampaignLink;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.policy.Policy;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A survivor with a merge pending completes it without another message, though sharding passivates
 * it while it waits: its retries are woken through sharding ({@link MergeWakeUp}), which starts the
 * stopped entity again, and its recovery resumes the merge its journal says it started (a one-node
 * cluster, entities passivated after one idle second, the in-memory journal).
 */
class CampaignMergeWakeUpTest {

  private static final ActorTestKit TEST_KIT =
      ActorTestKit.create(
          "wakeup",
          ConfigFactory.parseString(
                  "pekko.actor.provider = cluster\n"
                      + "pekko.remote.artery.canonical.hostname = 127.0.0.1\n"
                      + "pekko.remote.artery.canonical.port = 0\n"
                      + "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on\n"
                      + "pekko.cluster.sharding.passivation.default-idle-strategy"
                      + ".idle-entity.timeout = 1s\n")
              .withFallback(EventSourcedBehaviorTestKit.config()));

  /** While set, the absorbed campaign cannot be reached (as when its ask times out). */
  private static final AtomicBoolean UNREACHABLE = new AtomicBoolean();

  private static final AtomicInteger ATTEMPTS = new AtomicInteger();
  private static final Map<String, AtomicInteger> STARTS = new ConcurrentHashMap<>();

  @BeforeAll
  static void cluster() {
    Cluster cluster = Cluster.get(TEST_KIT.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> cluster.selfMember().status() == MemberStatus.up());
    MergeTransport sharded = MergeTransport.sharded(TEST_KIT.system(), Duration.ofSeconds(3));
    MergeTransport transport =
        (absorbedId, survivorId) -> {
          ATTEMPTS.incrementAndGet();
          if (UNREACHABLE.get()) {
            return CompletableFuture.failedFuture(
                new TimeoutException("ask of " + absorbedId + " timed out"));
          }
          return sharded.mergeInto(absorbedId, survivorId);
        };
    MergeWakeUp wakeUp = MergeWakeUp.sharded(TEST_KIT.system());
    ClusterSharding.get(TEST_KIT.system())
        .init(
            Entity.of(
                CampaignEntity.ENTITY_TYPE_KEY,
                ctx ->
                    Behaviors.setup(
                        setup -> {
                          STARTS
                              .computeIfAbsent(ctx.getEntityId(), k -> new AtomicInteger())
                              .incrementAndGet();
                          return CampaignBehaviors.create(
                              ctx.getEntityId(),
                              Policy::loadDefault,
                              10,
                              CampaignEntity.DEFAULT_SNAPSHOT_EVERY,
                              Clock.systemUTC(),
                              transport,
                              wakeUp);
                        })));
  }

  @AfterAll
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  @Test
  void anIdleSurvivorCompletesItsMergeWithoutAnotherMessage() {
    record("cmp-idle-young", "young-", 4);
    record("cmp-idle-old", "old-", 2);

    UNREACHABLE.set(true);
    StatusReply<Done> first =
        ask("cmp-idle-old", r -> new CampaignEntity.MergeFrom("cmp-idle-young", r));
    assertThat(first.isError()).isTrue();
    assertThat(status("cmp-idle-old").members()).hasSize(2);

    // No message reaches the survivor from outside: sharding passivates it while it backs off
    // (its retries do not count as activity), and the wake-ups start it again. It goes on trying.
    int before = ATTEMPTS.get();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> STARTS.get("cmp-idle-old").get() >= 2 && ATTEMPTS.get() >= before + 5);

    UNREACHABLE.set(false);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> "cmp-idle-old".equals(mergedInto("cmp-idle-young")));
    // Only now asked from outside: the survivor holds both campaigns' members, one live campaign.
    CampaignEntity.CampaignStatus survivor = status("cmp-idle-old");
    assertThat(survivor.mergedInto()).isNull();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(status("cmp-idle-old").members()).hasSize(6));
  }

  private static String mergedInto(String campaignId) {
    return status(campaignId).mergedInto();
  }

  private static CampaignEntity.CampaignStatus status(String campaignId) {
    return ClusterSharding.get(TEST_KIT.system())
        .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, campaignId)
        .<CampaignEntity.CampaignStatus>ask(CampaignEntity.GetCampaign::new, Duration.ofSeconds(5))
        .toCompletableFuture()
        .join();
  }

  private static StatusReply<Done> ask(
      String campaignId,
      org.apache.pekko.japi.function.Function<
              org.apache.pekko.actor.typed.ActorRef<StatusReply<Done>>, CampaignEntity.Command>
          command) {
    return ClusterSharding.get(TEST_KIT.system())
        .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, campaignId)
        .<StatusReply<Done>>ask(command, Duration.ofSeconds(10))
        .toCompletableFuture()
        .join();
  }

  private static void record(String campaignId, String prefix, int members) {
    Set<String> on = new HashSet<>();
    for (int m = 0; m < members; m++) {
      on.add(prefix + m);
      List<CampaignLink> links =
          List.of(
              new CampaignLink(SCAFFOLD, 0.8, Set.copyOf(on)),
              new CampaignLink(BURST, 0.6, Set.copyOf(on)));
      MemberSummary s = CampaignMergeTest.member(prefix, m);
      assertThat(ask(campaignId, r -> new CampaignEntity.RecordMember(s, links, r)).isSuccess())
          .isTrue();
    }
  }
}
