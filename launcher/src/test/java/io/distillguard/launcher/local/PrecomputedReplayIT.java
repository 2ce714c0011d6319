package io.distillguard.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.escalation.WebhookReceiver;
import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.Parsed;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.embedding.SharedEmbedders;
import io.distillguard.launcher.demo.DemoTraffic;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./distillguard replay} over input that carries every vector (events with {@code
 * embedding}, profiles with {@code stated_use_embedding_b64}) runs without loading the model, says
 * so, and counts every event; the same events with text stated uses load it.
 */
class PrecomputedReplayIT {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final ContractCodec CODEC = new ContractCodec(ContractLimits.DEFAULT);

  @TempDir static Path dir;

  private static DemoTraffic.Written traffic;
  private static Path events;
  private static Path profilesWithVectors;
  private static long eventCount;

  /** The demo's traffic with the vectors an upstream service would add (the model's, per text). */
  @BeforeAll
  static void precompute() throws Exception {
    traffic = DemoTraffic.write(dir.resolve("traffic"), 7, 0.05);
    List<QueryEvent> parsed = new ArrayList<>();
    for (String line : Files.readAllLines(traffic.events())) {
      parsed.add(((Parsed.Ok<QueryEvent>) CODEC.parseEvent(line)).value());
    }
    List<AccountProfile> profiles = new ArrayList<>();
    for (String line : Files.readAllLines(traffic.profiles())) {
      profiles.add(((Parsed.Ok<AccountProfile>) CODEC.parseProfile(line)).value());
    }
    List<String> eventLines = new ArrayList<>();
    List<String> profileLines = new ArrayList<>();
    // Outside the shared embedders: not a load the replay would count.
    try (MiniLmEmbedder model = MiniLmEmbedder.create(MiniLmEmbedder.REFERENCE_SETTINGS)) {
      List<float[]> vectors = model.embedAll(parsed.stream().map(QueryEvent::prompt).toList());
      for (int i = 0; i < parsed.size(); i++) {
        QueryEvent e = parsed.get(i);
        eventLines.add(CODEC.writeEvent(e.withEmbedding(vectors.get(i))));
      }
      for (AccountProfile p : profiles) {
        profileLines.add(CODEC.writeProfile(p.withStatedUseEmbedding(model.embed(p.statedUse()))));
      }
    }
    events = Files.write(dir.resolve("events-with-vectors.jsonl"), eventLines);
    profilesWithVectors = Files.write(dir.resolve("profiles-with-vectors.jsonl"), profileLines);
    eventCount = eventLines.size();
  }

  @Test
  void aReplayWhoseInputCarriesEveryVectorNeverLoadsTheModel() throws Exception {
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
      long loadsBefore = SharedEmbedders.modelsLoaded();
      StringWriter output = new StringWriter();
      ReplayOutcome outcome =
          LocalPipeline.replay(
              request(profilesWithVectors, dir.resolve("vectors"), receiver),
              new PrintWriter(output));
      assertThat(outcome.succeeded()).as(outcome.failureMessage()).isTrue();
      assertThat(outcome.observations()).isEqualTo(eventCount);
      assertThat(outcome.deadLetters()).isZero();
      assertThat(SharedEmbedders.modelsLoaded()).isEqualTo(loadsBefore);
      assertThat(output.toString()).contains("Embedding model: not loaded");

      // the same events, the stated uses as text: the job embeds them
      StringWriter again = new StringWriter();
      ReplayOutcome withText =
          LocalPipeline.replay(
              request(traffic.profiles(), dir.resolve("text"), receiver), new PrintWriter(again));
      assertThat(withText.succeeded()).as(withText.failureMessage()).isTrue();
      assertThat(withText.observations()).isEqualTo(eventCount);
      assertThat(SharedEmbedders.modelsLoaded()).isGreaterThan(loadsBefore);
      assertThat(again.toString()).contains("Embedding model: loaded");
    }
  }

  private static ReplayRequest request(Path profiles, Path data, WebhookReceiver receiver) {
    return new ReplayRequest(
        profiles,
        events,
        data,
        receiver.reviewUrl(),
        SECRET,
        Optional.empty(),
        Optional.empty(),
        2);
  }
}
