package io.distillguard.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.DeadLetter;
import io.distillguard.contract.Parsed;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.ingest.deadletter.DeadLetterJson;
import io.distillguard.observe.AccountObservation;
import io.distillguard.observe.InProcessObservationChannel;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.RecordFilter;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole file pipeline on a MiniCluster at parallelism 2, with the real MiniLM model and the
 * embedded vector store: N valid events give N records and N observations, every malformed line
 * lands in the dead-letter file with its reason, and a replay of the same files adds no record.
 */
class IngestJobIT {

  static final int PARALLELISM = 2;
  static final int EVENTS = 300;
  static final int ACCOUNTS = 20;
  static final int WITHOUT_PROFILE = 3;

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusters.oneTaskManager(PARALLELISM);

  static final EmbedderSettings EMBEDDER = new EmbedderSettings(2, 128, 32);

  /** Keeps the shared model loaded between the two runs (each run's operators release it). */
  @RegisterExtension static final HeldModel MODEL = HeldModel.of(EMBEDDER);

  @TempDir Path dir;

  @Test
  void replayStoresEachEventOnceObservesEveryEventAndDeadLettersEveryMalformedLine()
      throws Exception {
    List<String> accounts = IngestFixtures.accounts(ACCOUNTS);
    List<AccountProfile> profiles =
        IngestFixtures.profiles(accounts.subList(0, ACCOUNTS - WITHOUT_PROFILE));
    List<QueryEvent> events = IngestFixtures.events(accounts, EVENTS, 42L);
    Map<String, String> badEvents = IngestFixtures.malformedEvents();
    Map<String, String> badProfiles = IngestFixtures.malformedProfiles();

    // Malformed lines interleaved with the valid ones; profiles written AFTER a first version of
    // some accounts so the replacement rule is exercised, too.
    List<String> eventLines = new ArrayList<>();
    List<String> bad = new ArrayList<>(badEvents.keySet());
    for (int i = 0; i < events.size(); i++) {
      eventLines.add(IngestFixtures.CODEC.writeEvent(events.get(i)));
      if (i % 20 == 0 && !bad.isEmpty()) {
        eventLines.add(bad.remove(0));
      }
    }
    eventLines.addAll(bad);
    List<String> profileLines = new ArrayList<>();
    for (AccountProfile p : profiles) {
      profileLines.add(
          IngestFixtures.CODEC.writeProfile(
              new AccountProfile(p.accountId(), "an outdated stated use", null, null, null, null)));
    }
    profileLines.addAll(badProfiles.keySet());
    profiles.forEach(p -> profileLines.add(IngestFixtures.CODEC.writeProfile(p)));

    Path eventsFile = IngestFixtures.write(dir.resolve("events.jsonl"), eventLines);
    Path profilesFile = IngestFixtures.write(dir.resolve("profiles.jsonl"), profileLines);
    Path deadLetters = dir.resolve("out/dead-letters.jsonl");
    StoreSettings store = StoreSettings.embedded(dir.resolve("data"));
    IngestSettings settings =
        IngestSettings.defaults()
            .withParallelism(PARALLELISM)
            .withEmbedder(EMBEDDER)
            .withStoreBatch(64, Duration.ofMillis(200));

    long started = System.nanoTime();
    List<AccountObservation> first =
        run("first", profilesFile, eventsFile, deadLetters, store, settings);
    long firstMillis = (System.nanoTime() - started) / 1_000_000;

    // N observations, one per valid event
    assertThat(first).hasSize(EVENTS);
    assertThat(first.stream().map(AccountObservation::eventId).collect(Collectors.toSet()))
        .isEqualTo(events.stream().map(QueryEvent::eventId).collect(Collectors.toSet()));
    // Every event of an account with a profile was joined with its LAST profile: no race with
    // the profiles file, and the outdated first version never leaks through.
    Set<String> profiled =
        profiles.stream().map(AccountProfile::accountId).collect(Collectors.toSet());
    Map<String, AccountProfile> byAccount = new HashMap<>();
    profiles.forEach(p -> byAccount.put(p.accountId(), p));
    for (AccountObservation o : first) {
      if (profiled.contains(o.accountId())) {
        assertThat(o.statedUseCategoryShares()).as("shares of %s", o.eventId()).isNotNull();
        assertThat(o.orgId()).isEqualTo(byAccount.get(o.accountId()).orgId());
      } else {
        assertThat(o.statedUseCategoryShares()).isNull();
        assertThat(o.orgId()).isNull();
      }
      assertThat(o.category()).isNotBlank();
      // Campaign link keys, hashed; no raw client IP past the job.
      assertThat(o.linkKeys()).isNotEmpty();
      assertThat(o.clientIp()).doesNotStartWith("10.0.0.");
    }
    // An account's observations leave in event-time order.
    Map<String, List<Long>> times = new HashMap<>();
    first.forEach(
        o -> times.computeIfAbsent(o.accountId(), a -> new ArrayList<>()).add(o.eventTimeMillis()));
    times.values().forEach(t -> assertThat(t).isSorted());

    // N records in the store, embeddings real (unit length)
    try (VectorStore s = VectorStores.open(store)) {
      assertThat(s.count(RecordFilter.all())).isEqualTo(EVENTS);
      QueryRecord r = s.query(RecordFilter.account("acct-00"), 1).get(0);
      double norm = 0;
      for (float f : r.embedding()) {
        norm += f * f;
      }
      assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
      assertThat(r.category()).isNotBlank();
    }

    // every malformed line dead-lettered with its reason
    List<DeadLetter> dead = readDeadLetters(deadLetters);
    assertThat(dead).hasSize(badEvents.size() + badProfiles.size());
    for (DeadLetter d : dead) {
      String expected =
          d.source().equals("events.jsonl") ? badEvents.get(d.line()) : badProfiles.get(d.line());
      assertThat(expected).as("unexpected dead letter %s", d.reason()).isNotNull();
      assertThat(d.reason()).contains(expected);
    }

    // replay the same files: the store still holds N records
    List<AccountObservation> second =
        run("second", profilesFile, eventsFile, deadLetters, store, settings);
    assertThat(second).hasSize(EVENTS);
    try (VectorStore s = VectorStores.open(store)) {
      assertThat(s.count(RecordFilter.all())).isEqualTo(EVENTS);
    }
    assertThat(readDeadLetters(deadLetters)).hasSize(2 * dead.size());
    org.slf4j.LoggerFactory.getLogger(IngestJobIT.class)
        .info("first run of {} events took {} ms", EVENTS, firstMillis);
  }

  @Test
  void aRecordTheStoreRefusesIsDeadLetteredWithItsEventAndStillObserved() throws Exception {
    List<String> accounts = IngestFixtures.accounts(4);
    List<QueryEvent> events = IngestFixtures.events(accounts, 40, 7L);
    Path eventsFile =
        IngestFixtures.write(
            dir.resolve("events.jsonl"),
            events.stream().map(IngestFixtures.CODEC::writeEvent).toList());
    Path profilesFile =
        IngestFixtures.write(
            dir.resolve("profiles.jsonl"),
            IngestFixtures.profiles(accounts).stream()
                .map(IngestFixtures.CODEC::writeProfile)
                .toList());
    Path deadLetters = dir.resolve("out/dead-letters.jsonl");
    // A store that answers but refuses every record on its own: its collection was made for
    // vectors of another model (8 dimensions; the job's model gives 384).
    StoreSettings store = StoreSettings.embedded(dir.resolve("data")).withDimension(8);
    IngestSettings settings =
        IngestSettings.defaults()
            .withParallelism(PARALLELISM)
            .withEmbedder(EMBEDDER)
            .withStoreBatch(16, Duration.ofMillis(200));

    List<AccountObservation> observed =
        run("refused", profilesFile, eventsFile, deadLetters, store, settings);

    // the accounts still see every event; the evidence the store refused is kept, not lost
    assertThat(observed).hasSize(events.size());
    List<DeadLetter> dead = readDeadLetters(deadLetters);
    assertThat(dead).hasSize(events.size());
    assertThat(dead).allSatisfy(d -> assertThat(d.source()).isEqualTo("vector-store"));
    assertThat(dead.get(0).reason())
        .startsWith("the vector store refused the evidence record: ")
        .contains("dimension 384");
    // each letter holds its event as a v1 line, to send again once the store is fixed
    // (compared as lines: an event that carried its vector holds it in an array)
    List<String> lines =
        dead.stream()
            .map(d -> IngestFixtures.CODEC.parseEvent(d.line()))
            .map(p -> IngestFixtures.CODEC.writeEvent(((Parsed.Ok<QueryEvent>) p).value()))
            .toList();
    assertThat(lines)
        .containsExactlyInAnyOrderElementsOf(
            events.stream().map(IngestFixtures.CODEC::writeEvent).toList());
  }

  private static List<AccountObservation> run(
      String name,
      Path profiles,
      Path events,
      Path deadLetters,
      StoreSettings store,
      IngestSettings settings)
      throws Exception {
    String channelName = "ingest-it-" + name;
    InProcessObservationChannel channel = InProcessObservationChannel.open(channelName, EVENTS * 2);
    try {
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      new IngestJob(
              IngestSources.files(profiles, events),
              IngestSinks.inProcess(channelName, deadLetters, store),
              settings)
          .execute(env);
      // every stream element has a Flink serializer: no silent Kryo fallback
      assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
      assertThat(channel.isDrained()).isFalse();
      List<AccountObservation> out = IngestFixtures.drain(channel);
      assertThat(channel.isDrained()).isTrue();
      assertThat(out.stream().map(AccountObservation::eventId).distinct()).hasSameSizeAs(out);
      return out;
    } finally {
      channel.close();
    }
  }

  private static List<DeadLetter> readDeadLetters(Path file) throws Exception {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .map(DeadLetterJson::fromJson)
        .toList();
  }
}
