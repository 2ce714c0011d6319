package io.distillguard.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.observe.AccountObservation;
import io.distillguard.observe.InProcessObservationChannel;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's chain hands elements from operator to operator without copying them ({@link
 * IngestJob#OBJECT_REUSE}): over the same real prompts (a tenth of them carrying a precomputed
 * embedding, the rest embedded by the model, accounts with and without a profile), the job with
 * object reuse writes exactly what it writes when Flink copies every element between chained
 * operators: the same records in the store (vectors bit for bit, categories, similarities,
 * payloads, metadata) and the same observations (categories, stated-use shares, LSH signatures,
 * template fingerprints, campaign link keys).
 */
class ObjectReuseOutputsIT {

  static final int PARALLELISM = 2;
  static final int EVENTS = 240;
  static final EmbedderSettings EMBEDDER = new EmbedderSettings(2, 128, 32);

  @RegisterExtension
  static final MiniClusterExtension CLUSTER = MiniClusters.oneTaskManager(PARALLELISM);

  /** Keeps the shared model loaded between the runs (each run's operators release it). */
  @RegisterExtension static final HeldModel MODEL = HeldModel.of(EMBEDDER);

  @TempDir Path dir;

  record Outputs(List<QueryRecord> records, List<AccountObservation> observations) {}

  @Test
  void reusingObjectsBetweenChainedOperatorsChangesNoOutput() throws Exception {
    List<String> accounts = IngestFixtures.accounts(12);
    List<AccountProfile> profiles = IngestFixtures.profiles(accounts.subList(0, 10));
    List<QueryEvent> events = IngestFixtures.events(accounts, EVENTS, 7L);
    Path eventsFile =
        IngestFixtures.write(
            dir.resolve("events.jsonl"),
            events.stream().map(IngestFixtures.CODEC::writeEvent).toList());
    Path profilesFile =
        IngestFixtures.write(
            dir.resolve("profiles.jsonl"),
            profiles.stream().map(IngestFixtures.CODEC::writeProfile).toList());

    Outputs copying = run("copying", false, profilesFile, eventsFile);
    Outputs reusing = run("reusing", true, profilesFile, eventsFile);

    assertThat(copying.observations()).hasSize(EVENTS);
    assertThat(copying.records()).hasSize(EVENTS);
    assertThat(reusing.records()).usingRecursiveComparison().isEqualTo(copying.records());
    assertThat(reusing.observations()).usingRecursiveComparison().isEqualTo(copying.observations());
    // the comparison saw real outputs: embedded prompts, precomputed vectors, stated uses, keys
    assertThat(reusing.observations())
        .allSatisfy(o -> assertThat(o.linkKeys()).isNotEmpty())
        .anySatisfy(o -> assertThat(o.statedUseCategoryShares()).isNotNull());
    QueryEvent precomputed = events.get(9);
    assertThat(precomputed.embedding()).isNotNull();
    assertThat(
            reusing.records().stream()
                .filter(r -> r.eventId().equals(precomputed.eventId()))
                .findFirst()
                .orElseThrow()
                .embedding())
        .containsExactly(precomputed.embedding());
  }

  private Outputs run(String name, boolean objectReuse, Path profiles, Path events)
      throws Exception {
    String channelName = "object-reuse-it-" + name;
    StoreSettings store = StoreSettings.embedded(dir.resolve("data-" + name));
    InProcessObservationChannel channel = InProcessObservationChannel.open(channelName, EVENTS * 2);
    try {
      IngestSinks sinks =
          IngestSinks.inProcess(channelName, dir.resolve(name + "-dead.jsonl"), store);
      IngestJob job =
          new IngestJob(
              IngestSources.files(profiles, events),
              sinks,
              IngestSettings.defaults()
                  .withParallelism(PARALLELISM)
                  .withEmbedder(EMBEDDER)
                  .withStoreBatch(64, Duration.ofMillis(200)));
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      job.build(env);
      // the job's own setting, or Flink's default (a copy per chained hand-off) in its place
      Configuration reuse = new Configuration();
      reuse.setString(IngestJob.OBJECT_REUSE, Boolean.toString(objectReuse));
      env.configure(reuse);
      assertThat(env.getConfig().isObjectReuseEnabled()).isEqualTo(objectReuse);
      env.execute(name);
      sinks.onJobFinished();
      List<AccountObservation> observations = new ArrayList<>(IngestFixtures.drain(channel));
      observations.sort(Comparator.comparing(AccountObservation::eventId));
      List<QueryRecord> records = IngestFixtures.storedRecords(store, EVENTS * 2);
      return new Outputs(records, observations);
    } finally {
      channel.close();
    }
  }
}
