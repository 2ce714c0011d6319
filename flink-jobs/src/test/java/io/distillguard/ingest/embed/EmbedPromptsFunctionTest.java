package io.distillguard.ingest.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.BatchingEmbedder;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.embedding.SharedEmbedders;
import io.distillguard.enrich.PreambleLearner;
import io.distillguard.ingest.IngestFixtures;
import io.distillguard.ingest.profile.ProfiledEvent;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The async embed operator with the real model: embeds, skips the model, turns failures into data.
 */
class EmbedPromptsFunctionTest {

  @Test
  @Timeout(120)
  void embedsPromptsSkipsPrecomputedAndEmitsFailuresInsteadOfFailing() throws Exception {
    List<QueryEvent> events = IngestFixtures.events(IngestFixtures.accounts(1), 10, 9L);
    QueryEvent prompt = events.get(0);
    QueryEvent precomputed = events.get(9);
    // A record no parser would let through (neither prompt nor embedding): the model refuses it.
    QueryEvent broken =
        new QueryEvent(
            "broken",
            "acct-00",
            prompt.timestamp(),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);

    EmbedPromptsFunction fn =
        new EmbedPromptsFunction(new EmbedderSettings(1, 128, 16), Duration.ofSeconds(60));
    try (OneInputStreamOperatorTestHarness<ProfiledEvent, EmbeddedEvent> h = harness(fn)) {
      h.open();
      h.processElement(new ProfiledEvent(prompt, null, null), 1L);
      h.processElement(new ProfiledEvent(precomputed, null, null), 2L);
      h.processElement(new ProfiledEvent(broken, null, null), 3L);
      h.endInput();

      List<EmbeddedEvent> out = h.extractOutputValues();
      assertThat(out)
          .extracting(e -> e.event().event().eventId())
          .containsExactly(prompt.eventId(), precomputed.eventId(), "broken");
      assertThat(out.get(0).isFailure()).isFalse();
      assertThat(out.get(0).embedding()).hasSize(384);
      assertThat(out.get(1).embedding()).containsExactly(precomputed.embedding());
      assertThat(out.get(2).isFailure()).isTrue();
      assertThat(out.get(2).failure()).startsWith("embedding failed: IllegalArgumentException");
    }
  }

  @Test
  @Timeout(120)
  void precomputedEventsLeaveTheModelUnloadedUntilAnEventWithoutAVectorComes() throws Exception {
    List<QueryEvent> events = IngestFixtures.events(IngestFixtures.accounts(1), 20, 5L);
    QueryEvent precomputed1 = events.get(9);
    QueryEvent precomputed2 = events.get(19);
    QueryEvent prompt = events.get(0);
    // Settings of their own, so no other test's handle loads this engine.
    EmbedderSettings settings = new EmbedderSettings(1, 128, 1, 779);
    EmbedPromptsFunction fn = new EmbedPromptsFunction(settings, Duration.ofSeconds(60));
    try (MiniLmEmbedder fresh = MiniLmEmbedder.create(settings.withCacheEntries(0));
        OneInputStreamOperatorTestHarness<ProfiledEvent, EmbeddedEvent> h = harness(fn)) {
      h.open();
      h.processElement(new ProfiledEvent(precomputed1, null, null), 1L);
      h.processElement(new ProfiledEvent(precomputed2, null, null), 2L);
      // asyncInvoke has run for both (their results complete at once, without the model)
      assertThat(fn.holdsEmbedder()).isFalse();
      assertThat(SharedEmbedders.references(settings)).as("model not loaded").isZero();

      h.processElement(new ProfiledEvent(prompt, null, null), 3L);
      h.endInput();
      assertThat(fn.holdsEmbedder()).isTrue();
      List<EmbeddedEvent> out = h.extractOutputValues();
      assertThat(out).extracting(EmbeddedEvent::isFailure).containsExactly(false, false, false);
      assertThat(out.get(0).embedding()).containsExactly(precomputed1.embedding());
      assertThat(out.get(1).embedding()).containsExactly(precomputed2.embedding());
      assertThat(out.get(2).embedding()).containsExactly(fresh.embed(prompt.prompt()));
    }
    assertThat(SharedEmbedders.references(settings)).as("released on close").isZero();
  }

  @Test
  @Timeout(120)
  void aRepeatedPromptIsEmbeddedOnceAndGetsTheSameVector() throws Exception {
    List<QueryEvent> events = IngestFixtures.events(IngestFixtures.accounts(2), 3, 11L);
    String text = IngestFixtures.prompts("banking77.jsonl", 1).get(0);
    QueryEvent first = IngestFixtures.withPrompt(events.get(0), "e-1", text);
    QueryEvent other = IngestFixtures.withPrompt(events.get(1), "e-2", text + "!");
    QueryEvent repeat = IngestFixtures.withPrompt(events.get(2), "e-3", text);
    // Settings of its own, so this test watches an engine no other test shares.
    EmbedderSettings settings = new EmbedderSettings(1, 128, 1, 777);
    EmbedPromptsFunction fn = new EmbedPromptsFunction(settings, Duration.ofSeconds(60));
    try (BatchingEmbedder engine = SharedEmbedders.acquire(settings);
        MiniLmEmbedder fresh = MiniLmEmbedder.create(settings.withCacheEntries(0));
        OneInputStreamOperatorTestHarness<ProfiledEvent, EmbeddedEvent> h = harness(fn)) {
      h.open();
      h.processElement(new ProfiledEvent(first, null, null), 1L);
      h.processElement(new ProfiledEvent(other, null, null), 2L);
      h.processElement(new ProfiledEvent(repeat, null, null), 3L);
      h.endInput();

      List<EmbeddedEvent> out = h.extractOutputValues();
      assertThat(out).extracting(EmbeddedEvent::isFailure).containsExactly(false, false, false);
      assertThat(engine.stats().texts()).as("model runs").isEqualTo(2);
      float[] reference = fresh.embed(first.prompt());
      assertThat(out.get(0).embedding()).containsExactly(reference);
      assertThat(out.get(2).embedding()).containsExactly(reference);
      assertThat(out.get(1).embedding()).isNotEqualTo(reference);
    }
  }

  @Test
  @Timeout(180)
  void aSplitPromptGetsItsPayloadsOwnVectorAndTheScaffoldIsEmbeddedOncePerVersion()
      throws Exception {
    String preamble =
        "You are the assistant of Stride Bank. Answer briefly, and never ask for a PIN.\n\n";
    List<String> questions = IngestFixtures.prompts("banking77.jsonl", 6);
    QueryEvent template = IngestFixtures.events(IngestFixtures.accounts(1), 1, 13L).get(0);
    PreambleLearner learner = new PreambleLearner();
    List<ProfiledEvent> in = new java.util.ArrayList<>();
    for (int i = 0; i < questions.size(); i++) {
      QueryEvent e = IngestFixtures.withPrompt(template, "p-" + i, preamble + questions.get(i));
      in.add(new ProfiledEvent(e, null, null).withSplit(learner.split(e.prompt())));
    }
    // A payload sent again by another caller, alone: it must get the same vector, from the cache.
    in.add(
        new ProfiledEvent(
            IngestFixtures.withPrompt(template, "alone", questions.get(3)), null, null));
    EmbedderSettings settings = new EmbedderSettings(1, 128, 1, 778);
    try (BatchingEmbedder engine = SharedEmbedders.acquire(settings);
        MiniLmEmbedder fresh = MiniLmEmbedder.create(settings.withCacheEntries(0));
        OneInputStreamOperatorTestHarness<ProfiledEvent, EmbeddedEvent> h =
            harness(new EmbedPromptsFunction(settings, Duration.ofSeconds(60)))) {
      h.open();
      long t = 1;
      for (ProfiledEvent e : in) {
        h.processElement(e, t++);
      }
      h.endInput();

      List<EmbeddedEvent> out = h.extractOutputValues();
      assertThat(out).extracting(EmbeddedEvent::isFailure).containsOnly(false);
      // Learned from the third prompt on (PreambleLearner.MIN_SHARED).
      assertThat(out.get(2).event().split().newVersion()).isTrue();
      assertThat(out.get(2).preambleEmbedding()).containsExactly(fresh.embed(preamble));
      for (int i = 0; i < questions.size(); i++) {
        EmbeddedEvent e = out.get(i);
        String text = i < 2 ? preamble + questions.get(i) : questions.get(i);
        assertThat(e.embedding()).as("event %d", i).containsExactly(fresh.embed(text));
        if (i != 2) {
          assertThat(e.preambleEmbedding()).isNull();
        }
      }
      assertThat(out.get(questions.size()).embedding())
          .containsExactly(out.get(3).embedding())
          .containsExactly(fresh.embed(questions.get(3)));
      // Two whole prompts, four payloads, the scaffold once; the lone payload was not new.
      assertThat(engine.stats().texts()).as("model runs").isEqualTo(2 + 4 + 1);
    }
  }

  /** The async embed operator around {@code fn} in a harness, as the job runs it (ordered). */
  private static OneInputStreamOperatorTestHarness<ProfiledEvent, EmbeddedEvent> harness(
      EmbedPromptsFunction fn) throws Exception {
    return new OneInputStreamOperatorTestHarness<>(
        new AsyncWaitOperatorFactory<>(
            fn,
            60_000,
            8,
            AsyncDataStream.OutputMode.ORDERED,
            EmbedPromptsFunction.retryStrategy(1, Duration.ofMillis(1))),
        TypeInformation.of(ProfiledEvent.class).createSerializer(new SerializerConfigImpl()));
  }
}
