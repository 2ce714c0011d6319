package io.distillguard.actors.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.ClusterSettings;
import io.distillguard.actors.ObservationTopic;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.escalation.RetryPolicy;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import io.distillguard.testkit.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The actor service's Kafka path against an in-process broker (one combined KRaft node):
 * observations written as the ingest job writes them (key = account id, value = {@code
 * Json.mapper()} JSON) are consumed into a real {@link ActorService}, escalate a campaign to a real
 * webhook receiver on 127.0.0.1, and their offsets are committed. Then the whole service restarts
 * on the same data dir with the group's offsets rewound to the start: every observation is
 * delivered again, and nothing is counted twice and no webhook is sent twice.
 *
 * <p>The consumer reads {@code read_committed}: records of aborted or still open transactions (what
 * the ingest job's exactly-once sink leaves behind after a failover) are never counted. And an
 * observation made with another capability taxonomy than the node's is refused loudly.
 */
class KafkaObservationsIT {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String TOPIC = ObservationTopic.NAME;
  private static final String GROUP = "actors-it";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final KafkaBrokerExtension kafka = ObservationTopic.broker();

  @TempDir static Path dir;

  private static ActorSettings settings(WebhookReceiver receiver, Path policy) {
    return ActorSettings.defaults(dir.resolve("data"))
        .withWebhook(receiver.url("/review"), SECRET)
        .withHttp("127.0.0.1", 0, "test-token-1234567890")
        .withRetry(
            new RetryPolicy(
                20, Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofHours(1), 0.5),
            Duration.ofSeconds(5))
        .withPolicyFile(policy)
        .withSnapshotEvery(5);
  }

  /** Starts a consumer of {@code topic} from its earliest offsets into {@code service}. */
  private static ObservationConsumer consume(
      ActorService service, String topic, String group, int parallelism) {
    return ObservationConsumer.start(
        service,
        new KafkaSettings(kafka.bootstrapServers(), topic, group, parallelism, "earliest"));
  }

  private static long observed(ActorService service, String account) throws Exception {
    return service.status(account).toCompletableFuture().get().queriesObserved();
  }

  @Test
  void observationsFromTheTopicEscalateOnceAndARestartCountsNothingTwice() throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, TestFixtures.POLICY_YAML);
    List<AccountObservation> first = new ArrayList<>();
    first.addAll(TestFixtures.campaign("acct-k1"));
    first.addAll(TestFixtures.campaign("acct-k2"));
    first.addAll(TestFixtures.ordinary("acct-o", 10));
    publish(first, "{\"not\":\"an observation\"}", null);

    HttpClient http = HttpClient.newHttpClient();
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET);
        VectorStore store = VectorStores.open(StoreSettings.embedded(dir.resolve("store")));
        MiniLmEmbedder embedder = MiniLmEmbedder.create(EmbedderSettings.DEFAULT)) {
      Map<String, Integer> webhooksAfterFirstRun;
      try (ActorService service =
          ActorService.start(
              settings(receiver, policy), ClusterSettings.local(), store, embedder)) {
        ObservationConsumer consumer = consume(service, TOPIC, GROUP, 16);
        await(() -> consumer.recorded() == first.size() && consumer.skipped() == 2, 60);
        assertThat(service.awaitSettled(Duration.ofSeconds(30))).isTrue();
        // /metrics carries the consumer's lag series. Its value is the Kafka client's
        // records-lag-max, which reads NaN while the client has no lag sample in its window.
        await(
            () ->
                service
                    .metrics()
                    .scrape()
                    .matches(
                        "(?s).*\\ndistillguard_consumer_records_lag_max (\\d+\\.\\d+|NaN)\\n.*"),
            30);

        assertThat(service.status("acct-k1").toCompletableFuture().get().level())
            .isEqualTo(Level.THROTTLE);
        assertThat(observed(service, "acct-k1")).isEqualTo(8);
        assertThat(observed(service, "acct-k2")).isEqualTo(8);
        assertThat(observed(service, "acct-o")).isEqualTo(10);
        assertThat(service.status("acct-o").toCompletableFuture().get().level())
            .isEqualTo(Level.OK);

        // The escalation reached the real receiver, signed.
        assertThat(receiver.attempts()).allMatch(WebhookReceiver.Attempt::signatureValid);
        assertThat(reviewRequested(receiver))
            .containsOnly("acct-k1", "acct-k2")
            .contains("acct-k1", "acct-k2");
        webhooksAfterFirstRun = receiver.acknowledged();
        assertThat(webhooksAfterFirstRun.values()).allMatch(n -> n == 1);

        // Readiness over HTTP names the consumer; no token needed for probes.
        HttpResponse<String> ready = get(http, service, "/v1/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).path("checks").path("kafka-consumer").asBoolean())
            .isTrue();
        assertThat(get(http, service, "/v1/health/live").statusCode()).isEqualTo(200);

        consumer.stop(Duration.ofSeconds(30));
        assertThat(consumer.running()).isFalse();
        HttpResponse<String> notReady = get(http, service, "/v1/health/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(notReady.body()).path("checks").path("kafka-consumer").asBoolean())
            .isFalse();
      }

      // Every offset was committed, and only after its observation was acknowledged.
      assertThat(committed()).isEqualTo(endOffsets());
      assertThat(committed().values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(first.size() + 2);

      // Simulate a crash before the commits: rewind the group, then add new traffic.
      rewindGroup();
      List<AccountObservation> more =
          List.of(
              TestFixtures.observation(
                  "acct-o-late-1",
                  "acct-o",
                  TestFixtures.T0 + 60_000,
                  TestFixtures.CATEGORIES.get(0)),
              TestFixtures.observation(
                  "acct-o-late-2",
                  "acct-o",
                  TestFixtures.T0 + 61_000,
                  TestFixtures.CATEGORIES.get(0)));
      publish(more);

      try (ActorService service =
          ActorService.start(
              settings(receiver, policy), ClusterSettings.local(), store, embedder)) {
        ObservationConsumer consumer = consume(service, TOPIC, GROUP, 16);
        await(() -> consumer.recorded() == first.size() + more.size(), 60);
        assertThat(service.awaitSettled(Duration.ofSeconds(30))).isTrue();
        assertThat(observed(service, "acct-k1")).isEqualTo(8);
        assertThat(observed(service, "acct-k2")).isEqualTo(8);
        assertThat(observed(service, "acct-o")).isEqualTo(12);
        consumer.stop(Duration.ofSeconds(30));
      }
      assertThat(receiver.acknowledged()).isEqualTo(webhooksAfterFirstRun);
      assertThat(committed()).isEqualTo(endOffsets());
    }
  }

  @Test
  void abortedAndOpenTransactionsAreNeverConsumed() throws Exception {
    String topic = "observations-tx";
    createTopic(topic);
    String account = "acct-tx";
    try (KafkaProducer<String, String> aborted = ObservationTopic.transactional(kafka, "job-tx-a");
        KafkaProducer<String, String> committed =
            ObservationTopic.transactional(kafka, "job-tx-b");
        KafkaProducer<String, String> open = ObservationTopic.transactional(kafka, "job-tx-c")) {
      // what a job's failover leaves behind: a transaction aborted after its records were written
      aborted.beginTransaction();
      ObservationTopic.send(aborted, topic, obs("tx-aborted-1", account, 0));
      ObservationTopic.send(aborted, topic, obs("tx-aborted-2", account, 1));
      aborted.flush();
      aborted.abortTransaction();
      committed.beginTransaction();
      ObservationTopic.send(committed, topic, obs("tx-committed-1", account, 2));
      ObservationTopic.send(committed, topic, obs("tx-committed-2", account, 3));
      committed.commitTransaction();
      // and one still open: its records are written but not (yet) committed
      open.beginTransaction();
      ObservationTopic.send(open, topic, obs("tx-open-1", account, 4));
      open.flush();

      try (ServiceNode node = ServiceNode.start(dir, "tx", s -> s)) {
        ActorService service = node.service();
        ObservationConsumer consumer = consume(service, topic, "actors-tx", 4);
        Awaitility.await("the committed transaction")
            .atMost(Duration.ofSeconds(60))
            .until(() -> consumer.recorded() >= 2);
        assertThat(consumer.recorded())
            .as("nothing of the aborted or the open transaction")
            .isEqualTo(2);

        // The open transaction ends in an abort; a later committed one is read past it.
        open.abortTransaction();
        committed.beginTransaction();
        ObservationTopic.send(committed, topic, obs("tx-committed-3", account, 5));
        committed.commitTransaction();
        Awaitility.await("the transaction after the aborted one")
            .atMost(Duration.ofSeconds(60))
            .until(() -> consumer.recorded() >= 3);

        assertThat(observed(service, account))
            .as("only the three committed observations were counted")
            .isEqualTo(3);
        assertThat(consumer.skipped()).isZero();
        consumer.stop(Duration.ofSeconds(30));
      }
    }
  }

  @Test
  void anObservationOfAnotherTaxonomyIsRefusedAndTheNodeIsNotReady() throws Exception {
    String topic = "observations-taxonomy";
    createTopic(topic);
    // The operator's taxonomy: the shipped one with a category of its own added.
    Path taxonomyFile = dir.resolve("capabilities.yaml");
    String shipped;
    try (var in =
        getClass().getClassLoader().getResourceAsStream(CapabilityTaxonomy.DEFAULT_RESOURCE)) {
      shipped = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    Files.writeString(
        taxonomyFile,
        shipped
            + "\n  - name: our_product\n"
            + "    description: Questions about our own product and its settings.\n"
            + "    examples:\n"
            + "      - \"How do I reset my password in your app?\"\n");
    String ours = CapabilityTaxonomy.load(taxonomyFile).version();
    String theirs = CapabilityTaxonomy.loadDefault().version();
    assertThat(ours).isNotEqualTo(theirs);

    String account = "acct-tax";
    try (KafkaProducer<String, String> producer =
        ObservationTopic.transactional(kafka, "job-taxonomy")) {
      producer.beginTransaction();
      ObservationTopic.send(producer, topic, obs("tax-1", account, 0).withTaxonomyVersion(ours));
      ObservationTopic.send(
          producer, topic, obs("tax-2", account, 1)); // written before versions travelled
      ObservationTopic.send(producer, topic, obs("tax-3", account, 2).withTaxonomyVersion(theirs));
      ObservationTopic.send(producer, topic, obs("tax-4", account, 3).withTaxonomyVersion(ours));
      producer.commitTransaction();
    }

    HttpClient http = HttpClient.newHttpClient();
    try (ServiceNode node = ServiceNode.start(dir, "tax", s -> s.withTaxonomyFile(taxonomyFile))) {
      ActorService service = node.service();
      assertThat(service.taxonomy().version()).isEqualTo(ours);
      ObservationConsumer consumer = consume(service, topic, "actors-taxonomy", 1);
      Awaitility.await("the consumer stops at the foreign observation")
          .atMost(Duration.ofSeconds(60))
          .until(() -> !consumer.running());

      assertThat(consumer.whenStopped().toCompletableFuture())
          .as("the stream failed on the refused observation")
          .isCompletedExceptionally();
      assertThat(consumer.recorded()).isEqualTo(2);
      assertThat(service.taxonomy().refused()).isEqualTo(1);
      assertThat(observed(service, account))
          .as("nothing of the other taxonomy, nothing after it")
          .isEqualTo(2);
      Map<TopicPartition, Long> offsets = committed("actors-taxonomy");
      assertThat(offsets.getOrDefault(new TopicPartition(topic, 0), 0L))
          .as("the refused observation's offset is not committed: a fixed node reads it again")
          .isLessThanOrEqualTo(2L);

      HttpResponse<String> ready = get(http, service, "/v1/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      JsonNode checks = JSON.readTree(ready.body()).path("checks");
      assertThat(checks.path("taxonomy-consistent").asBoolean()).isFalse();
      assertThat(checks.path("kafka-consumer").asBoolean()).isFalse();
      JsonNode health = JSON.readTree(get(http, service, "/v1/health").body());
      assertThat(health.path("taxonomy").path("version").asText()).isEqualTo(ours);
      assertThat(health.path("taxonomy").path("observations_refused").asLong()).isEqualTo(1);
    }

    // Restarted on the same data dir with the job's taxonomy (the shipped one): it reads on from
    // the refused observation, and the observation of its earlier taxonomy is translated, not
    // refused, so nothing is lost and nothing blocks.
    try (ServiceNode node = ServiceNode.start(dir, "tax", s -> s)) {
      ActorService service = node.service();
      assertThat(service.taxonomy().version()).isEqualTo(theirs);
      ObservationConsumer consumer = consume(service, topic, "actors-taxonomy", 1);
      Awaitility.await("every observation recorded")
          .atMost(Duration.ofSeconds(60))
          .until(() -> observed(service, account) == 4);
      assertThat(service.taxonomy().refused()).isZero();
      assertThat(service.taxonomy().translated()).isPositive();
      assertThat(consumer.running()).isTrue();
      assertThat(get(http, service, "/v1/health/ready").statusCode()).isEqualTo(200);
      consumer.stop(Duration.ofSeconds(30));
    }
  }

  private static void createTopic(String topic) throws Exception {
    kafka.createTopics(new NewTopic(topic, 1, (short) 1));
  }

  private static AccountObservation obs(String eventId, String account, int second) {
    return TestFixtures.observation(
        eventId, account, TestFixtures.T0 + second * 1000L, TestFixtures.CATEGORIES.get(0));
  }

  private static List<String> reviewRequested(WebhookReceiver receiver) throws Exception {
    List<String> out = new ArrayList<>();
    for (String body : receiver.bodies().values()) {
      JsonNode n = JSON.readTree(body);
      if (n.path("type").asText().equals("account.review_requested")) {
        out.add(n.path("data").path("account_id").asText());
      }
    }
    return out;
  }

  private static HttpResponse<String> get(HttpClient http, ActorService service, String path)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Map<TopicPartition, Long> committed() throws Exception {
    return ObservationTopic.committed(kafka, GROUP);
  }

  private static Map<TopicPartition, Long> committed(String group) throws Exception {
    return ObservationTopic.committed(kafka, group);
  }

  private static Map<TopicPartition, Long> endOffsets() throws Exception {
    return ObservationTopic.endOffsets(kafka);
  }

  private static void publish(List<AccountObservation> observations, String... raw)
      throws Exception {
    ObservationTopic.publish(kafka, observations, raw);
  }

  private static void rewindGroup() throws Exception {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      Map<TopicPartition, OffsetAndMetadata> start =
          Map.of(
              new TopicPartition(TOPIC, 0), new OffsetAndMetadata(0),
              new TopicPartition(TOPIC, 1), new OffsetAndMetadata(0));
      // Refused while the stopped consumer's membership has not expired yet.
      Awaitility.await("the group's offsets reset")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptionsInstanceOf(java.util.concurrent.ExecutionException.class)
          .until(
              () -> {
                admin.alterConsumerGroupOffsets(GROUP, start).all().get();
                return true;
              });
    }
  }

  private static void await(BooleanSupplier condition, int seconds) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(seconds))
        .pollInterval(Duration.ofMillis(50))
        .until(condition::getAsBoolean);
  }
}
