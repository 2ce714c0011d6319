package io.distillguard.actors.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.ClusterSettings;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.api.EvidenceSource;
import io.distillguard.actors.campaign.CampaignEntity;
import io.distillguard.actors.campaign.SwarmTraffic;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intake's stream stage with small chunks of many accounts: each chunk's account batches are
 * recorded (one command each), then the chunk goes to the campaign grouping as one message. A
 * chunk's records leave the stage (where the Kafka consumer commits their offsets) only once every
 * observation in it is durable in its account and grouped, in input order; an observation its
 * entity refuses is quarantined without costing the other accounts of its chunk their recording or
 * their campaign; a swarm fed this way is still one campaign at REVIEW with every member.
 */
class IntakeFlowIT {

  @TempDir Path dir;

  @Test
  void aChunkLeavesOnlyOnceDurableAndGroupedAndAFailedBatchCostsTheOthersNothing()
      throws Exception {
    List<AccountObservation> traffic = new ArrayList<>(SwarmTraffic.swarm("swarm-", 8, 12));
    for (int a = 0; a < 4; a++) {
      traffic.addAll(TestFixtures.ordinary("app-" + a, 12));
    }
    traffic.sort(Comparator.comparingLong(AccountObservation::eventTimeMillis));
    // An event id past the contract's 128 characters: app-2's entity refuses any batch holding it.
    String longId = "evt-" + "x".repeat(196);
    traffic.add(
        traffic.size() / 2,
        TestFixtures.observation(
            longId, "app-2", TestFixtures.T0 + 5_500, TestFixtures.CATEGORIES.get(0)));

    ActorSettings settings =
        ActorSettings.defaults(dir.resolve("data"))
            .withHttp("127.0.0.1", -1, null)
            .withAskTimeout(Duration.ofSeconds(5))
            .withBatching(new ActorSettings.IntakeBatching(25, Duration.ofMillis(20)));
    try (ActorService service =
        ActorService.startWith(
            settings, ClusterSettings.local(), new EvidenceSource.Unavailable("not needed"))) {
      Map<String, Long> emitted = new HashMap<>();
      Set<String> accountsEmitted = new LinkedHashSet<>();
      List<String> violations = new CopyOnWriteArrayList<>();
      List<AccountObservation> settled =
          Source.from(traffic)
              .via(service.intake().flow(o -> o, 4))
              .mapAsync(
                  1,
                  chunk ->
                      CompletableFuture.supplyAsync(
                          () -> {
                            for (AccountObservation o : chunk) {
                              if (!o.eventId().equals(longId)) {
                                emitted.merge(o.accountId(), 1L, Long::sum);
                              }
                              accountsEmitted.add(o.accountId());
                            }
                            for (String account : new LinkedHashSet<>(accountsEmitted)) {
                              long counted = queries(service, account);
                              if (counted < emitted.get(account)) {
                                violations.add(
                                    account
                                        + " emitted "
                                        + emitted.get(account)
                                        + ", counted "
                                        + counted);
                              }
                            }
                            int grouped = service.campaigns().stats().accounts();
                            if (grouped < accountsEmitted.size()) {
                              violations.add(
                                  accountsEmitted.size()
                                      + " accounts emitted, "
                                      + grouped
                                      + " grouped");
                            }
                            return chunk;
                          }))
              .mapConcat(chunk -> chunk)
              .runWith(Sink.seq(), service.system())
              .toCompletableFuture()
              .get(120, TimeUnit.SECONDS);

      assertThat(violations).isEmpty();
      assertThat(settled).containsExactlyElementsOf(traffic);
      assertThat(service.intake().quarantined()).isEqualTo(1);
      assertThat(service.intake().failed()).isZero();
      assertThat(service.intake().pending()).isZero();
      for (int a = 0; a < 4; a++) {
        assertThat(queries(service, "app-" + a)).as("app-%d", a).isEqualTo(12);
      }
      for (int m = 0; m < 8; m++) {
        assertThat(queries(service, "swarm-" + m)).isEqualTo(12);
      }

      String id = service.campaigns().campaignOf("swarm-0").orElseThrow();
      CampaignEntity.CampaignStatus swarm =
          ClusterSharding.get(service.system())
              .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, id)
              .ask(CampaignEntity.GetCampaign::new, Duration.ofSeconds(10))
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      assertThat(swarm.members())
          .containsExactlyInAnyOrder(
              "swarm-0", "swarm-1", "swarm-2", "swarm-3", "swarm-4", "swarm-5", "swarm-6",
              "swarm-7");
      assertThat(swarm.level()).isEqualTo(Level.REVIEW);
      for (int a = 0; a < 4; a++) {
        assertThat(service.campaigns().campaignOf("app-" + a)).isEmpty();
      }
    }
  }

  private static long queries(ActorService service, String account) {
    return service.status(account).toCompletableFuture().join().queriesObserved();
  }
}
