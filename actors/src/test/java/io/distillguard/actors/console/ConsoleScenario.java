package io.distillguard.actors.console;

import io.distillguard.actors.ActorService;
import io.distillguard.actors.ActorSettings;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.observe.AccountObservation;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A small recorded scenario for the console's tests: a shoe shop's support bot whose account sweeps
 * four capability categories after verification (THROTTLE), a second account that reaches REVIEW,
 * and an ordinary one; the prompts in the embedded store, the profiles in a file, webhooks to a
 * verifying receiver, the API behind a token.
 */
final class ConsoleScenario implements AutoCloseable {

  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String TOKEN = "console-token-1234567";
  static final String SWEEP = "acct-sweep";
  static final String SECOND = "acct-second";
  static final String ORDINARY = "acct-shop";

  /** The stated use, with a right-to-left override a reviewer must see marked. */
  static final String STATED_USE = "Customer support for our shoe store\u202E (returns, sizes)";

  /** The category the stated use expects: the first of the taxonomy. */
  static final String HOME = TestFixtures.CATEGORIES.get(0);

  static final List<String> PROMPTS =
      List.of(
          "Where is my order of running shoes? It was due yesterday.",
          "Can I return boots that are half a size too small?",
          "Prove that the square root of 2 is irrational.",
          "Prove that there are infinitely many prime numbers.",
          "Write a Python function that merges two sorted lists.",
          "Implement a thread-safe LRU cache in Java.",
          "Translate this paragraph into Japanese: the weather is fine today.",
          // Long (about 4,000 characters): its neighbour search must still fit in a URL.
          "Translate 'where is the train station' into German and French. "
              + "Then explain the grammar of every word in detail, with examples. ".repeat(60));

  final WebhookReceiver receiver;
  final VectorStore store;
  final MiniLmEmbedder embedder;
  final ActorService service;

  private ConsoleScenario(
      WebhookReceiver receiver, VectorStore store, MiniLmEmbedder embedder, ActorService service) {
    this.receiver = receiver;
    this.store = store;
    this.embedder = embedder;
    this.service = service;
  }

  static ConsoleScenario start(Path dir) throws Exception {
    WebhookReceiver receiver = WebhookReceiver.start(SECRET);
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, TestFixtures.POLICY_YAML);
    Path profiles = dir.resolve("profiles.jsonl");
    Files.writeString(
        profiles,
        "{\"account_id\":\""
            + SWEEP
            + "\",\"stated_use\":\"Customer support for our shoe store\\u202E (returns, sizes)\","
            + "\"verified_at\":\"2026-10-05T00:00:02.500Z\"}\n"
            + "{\"account_id\":\""
            + SECOND
            + "\",\"stated_use\":\"Homework help for maths\"}\n");
    VectorStore store = VectorStores.open(StoreSettings.embedded(dir.resolve("store")));
    MiniLmEmbedder embedder = MiniLmEmbedder.create(EmbedderSettings.DEFAULT);
    List<float[]> vectors = embedder.embedAll(PROMPTS);
    List<QueryRecord> records = new ArrayList<>();
    List<AccountObservation> sweep = new ArrayList<>();
    for (int i = 0; i < PROMPTS.size(); i++) {
      String category = TestFixtures.CATEGORIES.get(i / 2);
      float similarity = i < 2 ? 0.7f : 0.05f;
      long t = TestFixtures.T0 + i * 1000L;
      records.add(
          new QueryRecord(
              SWEEP + "-e" + i,
              SWEEP,
              t,
              category,
              similarity,
              PROMPTS.get(i),
              vectors.get(i),
              Map.of()));
      sweep.add(observation(SWEEP + "-e" + i, SWEEP, t, category, similarity));
    }
    store.upsert(records);
    ActorSettings settings =
        ActorSettings.defaults(dir.resolve("data"))
            .withWebhook(receiver.url("/review"), SECRET)
            .withThrottleUrl(receiver.url("/throttle"))
            .withHttp("127.0.0.1", 0, TOKEN)
            .withRetry(TestFixtures.QUICK_RETRY, Duration.ofSeconds(5))
            .withPolicyFile(policy);
    ActorService service = ActorService.start(settings, store, embedder);
    service.console().useProfiles(ProfileDirectory.fromFile(profiles));
    TestFixtures.record(service, sweep);
    for (int i = 0; i < 6; i++) {
      service
          .intake()
          .record(
              observation(
                  SECOND + "-e" + i,
                  SECOND,
                  TestFixtures.T0 + 60_000 + i * 1000L,
                  TestFixtures.CATEGORIES.get(i / 2),
                  0.1f))
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    }
    TestFixtures.record(service, TestFixtures.ordinary(ORDINARY, 4));
    if (!service.awaitSettled(Duration.ofSeconds(30))) {
      throw new IllegalStateException("the scenario did not settle");
    }
    return new ConsoleScenario(receiver, store, embedder, service);
  }

  /** The stated use expects the first category almost only. */
  static float[] expectedShares() {
    float[] shares = new float[TestFixtures.CATEGORIES.size()];
    java.util.Arrays.fill(shares, 0.002f);
    shares[0] = 0.9f;
    return shares;
  }

  static AccountObservation observation(
      String eventId, String accountId, long t, String category, float statedUseSimilarity) {
    return new AccountObservation(
        eventId,
        accountId,
        t,
        category,
        0.8f,
        statedUseSimilarity,
        eventId.hashCode() * 0x9E3779B97F4A7C15L,
        eventId.hashCode(),
        120,
        null,
        null,
        null,
        "key-1",
        null,
        null,
        null,
        TestFixtures.T0 + 2_500L,
        expectedShares(),
        null,
        null,
        null);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + service.httpPort();
  }

  @Override
  public void close() {
    service.close();
    store.close();
    embedder.close();
    receiver.close();
  }
}
