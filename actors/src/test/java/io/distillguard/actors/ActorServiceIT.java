package io.distillguard.actors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.account.AccountEntity;
import io.distillguard.actors.escalation.RetryPolicy;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.actors.escalation.WebhookReceiver.Answer;
import io.distillguard.observe.AccountObservation;
import io.distillguard.observe.InProcessObservationChannel;
import io.distillguard.policy.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole actor side in one JVM: sharded event-sourced entities on the H2 journal, the outbox and
 * a real HTTP receiver that verifies signatures and fails first attempts; then a restart of the
 * actor system on the same data dir with deliveries still pending.
 */
class ActorServiceIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension final LocalServiceSetup local = new LocalServiceSetup();
  private WebhookReceiver receiver;

  @BeforeEach
  void setUp() {
    receiver = local.receiver();
  }

  private ActorSettings settings() {
    return local
        .settings()
        .withRetry(
            new RetryPolicy(
                20, Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofHours(1), 0.5),
            Duration.ofSeconds(5))
        .withSnapshotEvery(3);
  }

  private static Map<String, List<String>> typesByAccount(WebhookReceiver receiver)
      throws Exception {
    Map<String, List<String>> out = new java.util.TreeMap<>();
    for (String body : receiver.bodies().values()) {
      JsonNode n = JSON.readTree(body);
      String level = n.path("data").path("level").asText();
      out.computeIfAbsent(n.path("data").path("account_id").asText(), k -> new ArrayList<>())
          .add(n.path("type").asText() + ":" + level);
    }
    out.values().forEach(l -> l.sort(String::compareTo));
    return out;
  }

  @Test
  void drainsAChannelEscalatesCampaignsAndDeliversEachWebhookOnce() throws Exception {
    receiver.answers(n -> n == 1 ? new Answer(500, null) : Answer.ok());
    try (ActorService service = ActorService.start(settings(), null, null)) {
      InProcessObservationChannel channel =
          InProcessObservationChannel.open("it-" + UUID.randomUUID(), 8);
      List<AccountObservation> all = new ArrayList<>();
      List<AccountObservation> c = TestFixtures.campaign("acct-c");
      List<AccountObservation> d = TestFixtures.campaign("acct-d");
      List<AccountObservation> o = TestFixtures.ordinary("acct-o", 20);
      for (int i = 0; i < 20; i++) {
        if (i < c.size()) {
          all.add(c.get(i));
          all.add(d.get(i));
        }
        all.add(o.get(i));
      }
      CompletableFuture<Void> producer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (AccountObservation x : all) {
                    channel.publish(x);
                  }
                  channel.complete();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      service.intake().drain(channel);
      producer.get(10, TimeUnit.SECONDS);
      assertThat(channel.takenCount()).isEqualTo(all.size());
      assertThat(service.awaitSettled(Duration.ofSeconds(30))).isTrue();
      channel.close();

      List<String> ladder =
          List.of(
              "account.review_requested:REVIEW",
              "account.review_requested:THROTTLE",
              "account.review_requested:WATCH",
              "account.throttled:THROTTLE");
      assertThat(typesByAccount(receiver)).isEqualTo(Map.of("acct-c", ladder, "acct-d", ladder));
      assertThat(receiver.acknowledged())
          .hasSize(8)
          .allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
      assertThat(receiver.attempts()).allMatch(WebhookReceiver.Attempt::signatureValid);

      JsonNode review =
          receiver.bodies().values().stream()
              .map(ActorServiceIT::parse)
              .filter(n -> n.path("data").path("level").asText().equals("REVIEW"))
              .findFirst()
              .orElseThrow();
      assertThat(review.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*\\.\\d{3}Z");
      JsonNode data = review.path("data");
      assertThat(data.path("observed_at").asText())
          .isEqualTo(Escalations_rfc(TestFixtures.T0 + 5000));
      assertThat(data.path("queries_observed").asLong()).isEqualTo(6);
      assertThat(data.path("reasons").get(0).path("rule").asText()).isNotBlank();
      assertThat(data.path("reasons").get(0).has("threshold")).isTrue();
      assertThat(data.path("signals").path("distinct_categories").asDouble()).isEqualTo(3.0);
      assertThat(data.path("evidence").path("href").asText())
          .isEqualTo("/v1/accounts/" + data.path("account_id").asText() + "/evidence");

      Map<String, AccountStatus> accounts =
          service.accounts().stream().collect(Collectors.toMap(AccountStatus::accountId, s -> s));
      assertThat(accounts.get("acct-c").level()).isEqualTo(Level.THROTTLE);
      assertThat(accounts.get("acct-d").level()).isEqualTo(Level.THROTTLE);
      assertThat(accounts.get("acct-o").level()).isEqualTo(Level.OK);
      assertThat(accounts.get("acct-o").queriesObserved()).isEqualTo(20);
      assertThat(service.throttles().active(System.currentTimeMillis())).hasSize(2);

      // A reviewer clears acct-c: the review system hears CLEARED, the gateway the lifted throttle.
      AccountStatus cleared =
          service
              .review("acct-c", Level.CLEARED, "ana", "known partner")
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      assertThat(cleared.level()).isEqualTo(Level.CLEARED);
      assertThat(service.awaitSettled(Duration.ofSeconds(30))).isTrue();
      assertThat(typesByAccount(receiver).get("acct-c"))
          .contains("account.cleared:CLEARED", "account.throttled:CLEARED");
      assertThat(service.throttles().active(System.currentTimeMillis()))
          .extracting(t -> t.accountId())
          .containsExactly("acct-d");
      assertThat(service.intake().failed()).isZero();
    }
  }

  @Test
  void aRestartWithPendingDeliveriesLosesAndDuplicatesNothing() throws Exception {
    receiver.answers(n -> new Answer(503, null));
    List<AccountObservation> campaign = TestFixtures.campaign("acct-r");
    try (ActorService first = ActorService.start(settings(), null, null)) {
      for (AccountObservation o : campaign) {
        first.intake().record(o).toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      // The projection writes the four deliveries a moment after the decisions; the first ones
      // may be retried before the last one exists, so wait for both.
      Awaitility.await("four pending deliveries, attempted")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> first.outbox().pendingCount() == 4 && receiver.attempts().size() >= 4);
      assertThat(first.awaitSettled(Duration.ofMillis(200))).isFalse();
    }
    assertThat(receiver.acknowledged()).isEmpty();
    int attemptsBefore = receiver.attempts().size();

    receiver.answers(n -> Answer.ok());
    try (ActorService second = ActorService.start(settings(), null, null)) {
      assertThat(second.awaitSettled(Duration.ofSeconds(30))).isTrue();
      assertThat(receiver.acknowledged())
          .hasSize(4)
          .allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
      AccountStatus recovered =
          second.status("acct-r").toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(recovered.level()).isEqualTo(Level.THROTTLE);
      assertThat(recovered.queriesObserved()).isEqualTo(8);

      // The producer replays its input after the restart: duplicates change nothing.
      int attempts = receiver.attempts().size();
      for (AccountObservation o : campaign) {
        second.intake().record(o).toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      assertThat(second.awaitSettled(Duration.ofSeconds(10))).isTrue();
      assertThat(receiver.attempts()).hasSize(attempts);
      assertThat(
              second
                  .status("acct-r")
                  .toCompletableFuture()
                  .get(10, TimeUnit.SECONDS)
                  .queriesObserved())
          .isEqualTo(8);
      assertThat(second.accounts()).extracting(AccountStatus::accountId).containsExactly("acct-r");
    }
    assertThat(receiver.attempts().size()).isGreaterThan(attemptsBefore);
  }

  private static JsonNode parse(String s) {
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String Escalations_rfc(long millis) {
    return io.distillguard.actors.escalation.Escalations.rfc3339(millis);
  }

  @Test
  void anIdleAccountIsPassivatedAndComesBackWithItsState() throws Exception {
    List<AccountObservation> seen = TestFixtures.ordinary("acct-idle", 6);
    ActorSettings settings = settings().withPassivateAfter(Duration.ofSeconds(1));
    try (ActorService service = ActorService.start(settings, null, null)) {
      for (AccountObservation o : seen.subList(0, 5)) {
        service.intake().record(o).toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      assertThat(runningEntities(service)).contains("acct-idle");

      Awaitility.await("stopped after 1 s idle")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> !runningEntities(service).contains("acct-idle"));

      // the next message starts it again from its journal: nothing forgotten, nothing counted twice
      service.intake().record(seen.get(5)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(runningEntities(service)).contains("acct-idle");
      AccountStatus status =
          service.status("acct-idle").toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(status.queriesObserved()).isEqualTo(6);
      service.intake().record(seen.get(5)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(
              service
                  .status("acct-idle")
                  .toCompletableFuture()
                  .get(30, TimeUnit.SECONDS)
                  .queriesObserved())
          .as("a redelivered observation after the restart")
          .isEqualTo(6);
    }
  }

  @Test
  void anAccountIdWithReservedCharactersIsCountedLikeAnyOther() throws Exception {
    String account = "acct|pipe/slash\\back\"quote %7C#?&=";
    List<AccountObservation> seen = TestFixtures.ordinary(account, 3);
    try (ActorService service = ActorService.start(settings(), null, null)) {
      for (AccountObservation o : seen) {
        service.intake().record(o).toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      service.intake().record(seen.get(0)).toCompletableFuture().get(30, TimeUnit.SECONDS);
      AccountStatus status =
          service.status(account).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(status.accountId()).isEqualTo(account);
      assertThat(status.queriesObserved()).isEqualTo(3);
      assertThat(runningEntities(service)).contains(account);
      assertThat(AccountEntity.persistenceId(account).id()).isEqualTo("Account|" + account);
      assertThat(AccountEntity.persistenceId("acct-1").id()).isEqualTo("Account|acct-1");
      assertThat(io.distillguard.actors.escalation.Escalations.evidenceHref("acct|pipe /x+y?#"))
          .isEqualTo("/v1/accounts/acct%7Cpipe%20%2Fx%2By%3F%23/evidence");
    }
  }

  /** The account entities running on this node now (from the shard region's state). */
  private static Set<String> runningEntities(ActorService service) throws Exception {
    ActorSystem<Void> system = service.system();
    ShardRegion.CurrentShardRegionState state =
        AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
                ClusterSharding.get(system).shardState(),
                replyTo -> new GetShardRegionState(AccountEntity.ENTITY_TYPE_KEY, replyTo),
                Duration.ofSeconds(10),
                system.scheduler())
            .toCompletableFuture()
            .get(15, TimeUnit.SECONDS);
    Set<String> ids = new TreeSet<>();
    state.getShards().forEach(shard -> ids.addAll(shard.getEntityIds()));
    return ids;
  }
}
