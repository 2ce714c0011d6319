package io.distillguard.ingest.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.EmbedderSettings;
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
    AsyncWaitOperatorFactory<ProfiledEvent, EmbeddedEvent> factory =
        new AsyncWaitOperatorFactory<>(
            fn,
            60_000,
            8,
            AsyncDataStream.OutputMode.ORDERED,
            EmbedPromptsFunction.retryStrategy(1, Duration.ofMillis(1)));
    try (OneInputStreamOperatorTestHarness<ProfiledEvent, EmbeddedEvent> h =
        new OneInputStreamOperatorTestHarness<>(
            factory,
            TypeInformation.of(ProfiledEvent.class).createSerializer(new SerializerConfigImpl()))) {
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
}
