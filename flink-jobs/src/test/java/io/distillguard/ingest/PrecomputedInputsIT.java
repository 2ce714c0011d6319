package io.distillguard.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.embedding.SharedEmbedders;
import io.distillguard.observe.AccountObservation;
import io.distillguard.observe.InProcessObservationChannel;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that carry their vectors need no model: over real prompts (the repository's samples), a
 * job whose events carry their {@code embedding} and whose profiles carry their {@code
 * stated_use_embedding_b64} never loads the model (the JVM's count of model loads does not move),
 * and writes exactly the records and observations (categories, stated-use shares, similarities, LSH
 * bits, link keys) of the same input whose stated uses the job embeds itself. Mixed input (some
 * events and profiles without vectors) still embeds what lacks one.
 */
class PrecomputedInputsIT {

  static final int PARALLELISM = 2;
  static final int EVENTS = 120;

  /** One text per model call: each text's vector is the model's for it alone, bit for bit. */
  static final EmbedderSettings EMBEDDER = new EmbedderSettings(2, 128, 1);

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusters.oneTaskManager(PARALLELISM);

  static List<String> accounts;
  static List<AccountProfile> profiles;
  static List<AccountProfile> profilesWithVectors;
  static List<QueryEvent> events;
  static List<QueryEvent> precomputedEvents;

  @TempDir Path dir;

  /**
   * The vectors an upstream service would send, computed with the model outside the shared
   * embedders (so it does not count as a load by the job).
   */
  @BeforeAll
  static void vectorsFromTheModel() {
    accounts = IngestFixtures.accounts(9);
    profiles = IngestFixtures.profiles(accounts.subList(0, 8));
    events =
        IngestFixtures.events(accounts, EVENTS, 5L).stream()
            .filter(e -> e.prompt() != null)
            .toList();
    try (MiniLmEmbedder model = MiniLmEmbedder.create(MiniLmEmbedder.REFERENCE_SETTINGS)) {
      profilesWithVectors =
          profiles.stream().map(p -> p.withStatedUseEmbedding(model.embed(p.statedUse()))).toList();
      List<float[]> vectors = model.embedAll(events.stream().map(QueryEvent::prompt).toList());
      precomputedEvents = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        QueryEvent e = events.get(i);
        precomputedEvents.add(e.withEmbedding(vectors.get(i)));
      }
    }
  }

  @AfterAll
  static void noHandleLeft() {
    assertThat(SharedEmbedders.references(EMBEDDER)).isZero();
  }

  record Outputs(List<QueryRecord> records, List<AccountObservation> observations, long dead) {}

  @Test
  void vectorsInEventsAndProfilesLeaveTheModelUnloadedAndChangeNoOutput() throws Exception {
    long loadsBefore = SharedEmbedders.modelsLoaded();
    Outputs precomputed = run("precomputed", profilesWithVectors, precomputedEvents);
    assertThat(SharedEmbedders.modelsLoaded())
        .as("models loaded while the job ran over precomputed input")
        .isEqualTo(loadsBefore);

    Outputs embeddedHere = run("stated-use-text", profiles, precomputedEvents);
    assertThat(SharedEmbedders.modelsLoaded())
        .as("the stated uses without vectors were embedded by the job")
        .isGreaterThan(loadsBefore);

    assertThat(precomputed.dead()).isZero();
    assertThat(precomputed.observations()).hasSize(events.size());
    assertThat(precomputed.records()).hasSize(events.size());
    assertThat(precomputed.records()).usingRecursiveComparison().isEqualTo(embeddedHere.records());
    assertThat(precomputed.observations())
        .usingRecursiveComparison()
        .isEqualTo(embeddedHere.observations());
    // the comparison saw stated uses and several categories
    assertThat(precomputed.observations())
        .anySatisfy(o -> assertThat(o.statedUseCategoryShares()).isNotNull());
    assertThat(
            precomputed.observations().stream()
                .map(AccountObservation::category)
                .distinct()
                .count())
        .isGreaterThan(2);
  }

  @Test
  void mixedInputStillEmbedsWhatLacksAVector() throws Exception {
    // every other event and profile without its vector
    List<QueryEvent> mixedEvents = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      mixedEvents.add(i % 2 == 0 ? precomputedEvents.get(i) : events.get(i));
    }
    List<AccountProfile> mixedProfiles = new ArrayList<>();
    for (int i = 0; i < profiles.size(); i++) {
      mixedProfiles.add(i % 2 == 0 ? profilesWithVectors.get(i) : profiles.get(i));
    }
    Outputs mixed = run("mixed", mixedProfiles, mixedEvents);
    Outputs allVectors = run("all-vectors", profilesWithVectors, precomputedEvents);

    assertThat(mixed.dead()).isZero();
    assertThat(mixed.records()).hasSize(events.size());
    // the job embedded the events without a vector: the model's vectors for their prompts
    assertThat(mixed.records()).usingRecursiveComparison().isEqualTo(allVectors.records());
    assertThat(mixed.observations())
        .usingRecursiveComparison()
        .isEqualTo(allVectors.observations());
  }

  private Outputs run(String name, List<AccountProfile> profileInput, List<QueryEvent> eventInput)
      throws Exception {
    Path eventsFile =
        IngestFixtures.write(
            dir.resolve(name + "-events.jsonl"),
            eventInput.stream().map(IngestFixtures.CODEC::writeEvent).toList());
    Path profilesFile =
        IngestFixtures.write(
            dir.resolve(name + "-profiles.jsonl"),
            profileInput.stream().map(IngestFixtures.CODEC::writeProfile).toList());
    String channelName = "precomputed-inputs-it-" + name;
    StoreSettings store = StoreSettings.embedded(dir.resolve("data-" + name));
    Path deadLetters = dir.resolve(name + "-dead.jsonl");
    InProcessObservationChannel channel = InProcessObservationChannel.open(channelName, EVENTS * 2);
    try {
      IngestSinks sinks = IngestSinks.inProcess(channelName, deadLetters, store);
      new IngestJob(
              IngestSources.files(profilesFile, eventsFile),
              sinks,
              IngestSettings.defaults()
                  .withParallelism(PARALLELISM)
                  .withEmbedder(EMBEDDER)
                  .withStoreBatch(64, Duration.ofMillis(200)))
          .execute(StreamExecutionEnvironment.getExecutionEnvironment());
      List<AccountObservation> observations = new ArrayList<>(IngestFixtures.drain(channel));
      observations.sort(Comparator.comparing(AccountObservation::eventId));
      List<QueryRecord> records = IngestFixtures.storedRecords(store, EVENTS * 2);
      long dead = Files.exists(deadLetters) ? Files.readAllLines(deadLetters).size() : 0;
      return new Outputs(records, observations, dead);
    } finally {
      channel.close();
    }
  }
}
