package io.distillguard.actors.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime feed: observations recorded by the actor service reach the campaign entity of the
 * group their link keys put the account in, and the entity decides. A swarm splitting a sweep is
 * one campaign at REVIEW with every member; a NAT organisation stays quiet.
 */
class CampaignFeedIT {

  @TempDir Path dir;

  @Test
  void aSwarmReachesItsCampaignEntityAtReviewWhileANatOrganisationStaysQuiet() {
    List<AccountObservation> traffic = new ArrayList<>(SwarmTraffic.swarm("swarm-", 8, 12));
    traffic.addAll(SwarmTraffic.natOrganisation("nat-", 12));
    traffic.sort(java.util.Comparator.comparingLong(AccountObservation::eventTimeMillis));
    try (ActorService service =
        ActorService.start(
            ActorSettings.defaults(dir.resolve("data")).withHttp("127.0.0.1", -1, null),
            null,
            null)) {
      for (AccountObservation o : traffic) {
        service.record(o).toCompletableFuture().join();
      }
      String id = service.campaigns().campaignOf("swarm-0").orElseThrow();
      for (int m = 1; m < 8; m++) {
        assertThat(service.campaigns().campaignOf("swarm-" + m)).contains(id);
      }
      CampaignEntity.CampaignStatus swarm = status(service, id);
      assertThat(swarm.members())
          .containsExactlyInAnyOrder(
              "swarm-0", "swarm-1", "swarm-2", "swarm-3", "swarm-4", "swarm-5", "swarm-6",
              "swarm-7");
      assertThat(swarm.level()).isEqualTo(Level.REVIEW);
      assertThat(swarm.reasons()).extracting(r -> r.rule()).contains("split-sweep");

      Optional<String> nat = service.campaigns().campaignOf("nat-0");
      assertThat(nat).isNotEqualTo(Optional.of(id));
      if (nat.isPresent()) {
        assertThat(status(service, nat.get()).level()).isEqualTo(Level.OK);
      }
    }
  }

  private static CampaignEntity.CampaignStatus status(ActorService service, String id) {
    return ClusterSharding.get(service.system())
        .entityRefFor(CampaignEntity.ENTITY_TYPE_KEY, id)
        .ask(CampaignEntity.GetCampaign::new, Duration.ofSeconds(10))
        .toCompletableFuture()
        .join();
  }
}
