package io.distillguard.actors.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.LocalServiceSetup;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.account.AccountIndex;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A whole escalation in ONE chunk event (an account's batch that takes it from OK to THROTTLE): the
 * effects projection sees every level change inside the chunk, in order, each with the evidence of
 * its own moment, and the account index ends at the chunk's last count and level.
 */
class ObservationChunkEffectsIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension final LocalServiceSetup local = new LocalServiceSetup();

  @Test
  void everyLevelChangeInsideAChunkHasItsEffects() throws Exception {
    WebhookReceiver receiver = local.receiver();
    try (ActorService service = ActorService.start(local.settings(), null, null)) {
      List<AccountObservation> sweep = TestFixtures.campaign("acct-c");
      List<AccountObservation> batch = new ArrayList<>(sweep);
      for (int i = 0; i < 3; i++) {
        batch.add(
            TestFixtures.observation(
                "acct-c-o" + i,
                "acct-c",
                TestFixtures.T0 + 8_000L + i * 1000L,
                TestFixtures.CATEGORIES.get(0)));
      }
      service.intake().recordBatch(batch).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(service.awaitSettled(Duration.ofSeconds(30))).isTrue();

      // One review request per level the chunk passed, each stating the count of its own moment.
      Map<String, Long> reviews = new TreeMap<>();
      List<String> types = new ArrayList<>();
      for (String body : receiver.bodies().values()) {
        JsonNode n = JSON.readTree(body);
        String level = n.path("data").path("level").asText();
        types.add(n.path("type").asText() + ":" + level);
        if (n.path("type").asText().equals("account.review_requested")) {
          reviews.put(level, n.path("data").path("queries_observed").asLong());
        }
      }
      assertThat(types)
          .containsExactlyInAnyOrder(
              "account.review_requested:WATCH",
              "account.review_requested:REVIEW",
              "account.review_requested:THROTTLE",
              "account.throttled:THROTTLE");
      assertThat(reviews).isEqualTo(Map.of("WATCH", 4L, "REVIEW", 6L, "THROTTLE", 8L));

      AccountStatus status =
          service.status("acct-c").toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(status.level()).isEqualTo(Level.THROTTLE);
      assertThat(status.queriesObserved()).isEqualTo(batch.size());
      // The chunk was tagged (its first observation, its level changes): the index lists the
      // account at its level and the chunk's last count.
      List<AccountIndex.Entry> indexed = service.indexedAccounts(Level.THROTTLE, 10);
      assertThat(indexed).extracting(AccountIndex.Entry::accountId).containsExactly("acct-c");
      assertThat(indexed.get(0).queriesObserved()).isEqualTo(batch.size());
      assertThat(service.throttles().active(System.currentTimeMillis())).hasSize(1);
    }
  }
}
