package io.distillguard.ingest.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.campaign.LinkKey;
import io.distillguard.campaign.LinkType;
import io.distillguard.campaign.ObservationLinks;
import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.DeadLetter;
import io.distillguard.contract.EmbeddingBase64;
import io.distillguard.contract.Parsed;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.enrich.PreambleLearner;
import io.distillguard.enrich.PromptSplit;
import io.distillguard.enrich.TemplateFingerprint;
import io.distillguard.ingest.Descriptors;
import io.distillguard.ingest.IngestFixtures;
import io.distillguard.ingest.embed.EmbeddedEvent;
import io.distillguard.ingest.profile.ProfiledEvent;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Enrichment with the real model: records and observations out, failed embeddings dead-lettered.
 */
class EnrichFunctionTest {

  @Test
  void enrichesEmbeddedEventsAndDeadLettersFailedOnesWithTheirReasonAndLine() throws Exception {
    List<QueryEvent> events = IngestFixtures.events(IngestFixtures.accounts(1), 10, 1L);
    QueryEvent withVector = events.get(9); // carries a precomputed embedding
    QueryEvent failed = events.get(0);
    AccountProfile profile = IngestFixtures.profiles(IngestFixtures.accounts(1)).get(0);

    EnrichFunction fn =
        new EnrichFunction(new EmbedderSettings(1, 128, 16), ContractLimits.DEFAULT);
    try (OneInputStreamOperatorTestHarness<EmbeddedEvent, EnrichedQuery> h =
        ProcessFunctionTestHarnesses.forProcessFunction(fn)) {
      ProfiledEvent joined = new ProfiledEvent(withVector, null, null);
      h.processElement(EmbeddedEvent.embedded(joined, withVector.embedding()), 0L);
      h.processElement(
          EmbeddedEvent.failed(
              new ProfiledEvent(failed, profile, null), "embedding failed: timed out after 5 ms"),
          0L);

      EnrichedQuery q = h.extractOutputValues().get(0);
      assertThat(h.extractOutputValues()).hasSize(1);
      assertThat(q.record().eventId()).isEqualTo(withVector.eventId());
      assertThat(q.record().embedding()).containsExactly(withVector.embedding());
      assertThat(q.record().metadata()).containsEntry("model", "model-x");
      assertThat(q.record().category()).isEqualTo(q.observation().category()).isNotBlank();
      assertThat(q.observation().eventId()).isEqualTo(withVector.eventId());
      assertThat(q.observation().statedUseCategoryShares()).isNull();
      // Link keys travel hashed; the client IP is replaced by its keyed hash.
      assertThat(q.observation().clientIp())
          .isNotEqualTo(withVector.client().ip())
          .matches("[0-9a-f]{16}");
      assertThat(ObservationLinks.keys(q.observation()))
          .extracting(LinkKey::type)
          .contains(LinkType.IP, LinkType.IP_PREFIX, LinkType.USER_AGENT);
      assertThat(String.join(" ", q.observation().linkKeys()))
          .doesNotContain(withVector.client().ip());

      List<DeadLetter> dead =
          h.getSideOutput(Descriptors.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
      assertThat(dead)
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.source()).isEqualTo(EnrichFunction.SOURCE);
                assertThat(d.reason()).isEqualTo("embedding failed: timed out after 5 ms");
                // the dead letter carries the event as a contract line that parses back to it
                assertThat(IngestFixtures.CODEC.parseEvent(d.line()))
                    .isEqualTo(new Parsed.Ok<>(failed));
              });
    }
  }

  @Test
  void aSplitPromptIsStoredAsPayloadWithItsScaffoldOncePerVersion() throws Exception {
    String preamble = "You are the assistant of Stride Shoes. Keep answers short.\n\n";
    List<QueryEvent> events = IngestFixtures.events(IngestFixtures.accounts(1), 9, 2L);
    QueryEvent first = events.get(0);
    QueryEvent second = events.get(1);
    PromptSplit s1 =
        new PromptSplit(preamble, PreambleLearner.preambleId(preamble), first.prompt(), true);
    PromptSplit s2 =
        new PromptSplit(preamble, PreambleLearner.preambleId(preamble), second.prompt(), false);
    float[] vector = unitVector(1);
    float[] scaffoldVector = unitVector(2);
    EnrichFunction fn =
        new EnrichFunction(new EmbedderSettings(1, 128, 16), ContractLimits.DEFAULT);
    try (OneInputStreamOperatorTestHarness<EmbeddedEvent, EnrichedQuery> h =
        ProcessFunctionTestHarnesses.forProcessFunction(fn)) {
      h.processElement(
          EmbeddedEvent.embedded(
              new ProfiledEvent(
                  IngestFixtures.withPrompt(first, first.eventId(), preamble + first.prompt()),
                  null,
                  null,
                  s1),
              vector,
              scaffoldVector),
          0L);
      h.processElement(
          EmbeddedEvent.embedded(
              new ProfiledEvent(
                  IngestFixtures.withPrompt(second, second.eventId(), preamble + second.prompt()),
                  null,
                  null,
                  s2),
              vector),
          0L);

      List<EnrichedQuery> out = h.extractOutputValues();
      assertThat(out)
          .extracting(q -> q.record().prompt())
          .containsExactly(first.prompt(), second.prompt());
      assertThat(out.get(0).record().metadata())
          .containsEntry(PreambleMetadata.PREAMBLE_ID, s1.preambleId())
          .containsEntry(PreambleMetadata.PREAMBLE, preamble)
          .containsEntry(
              PreambleMetadata.PREAMBLE_EMBEDDING, EmbeddingBase64.encode(scaffoldVector));
      assertThat(out.get(1).record().metadata())
          .containsEntry(PreambleMetadata.PREAMBLE_ID, s1.preambleId())
          .doesNotContainKeys(PreambleMetadata.PREAMBLE, PreambleMetadata.PREAMBLE_EMBEDDING);
      // The template signals read the payload, not the scaffold.
      assertThat(out)
          .extracting(q -> q.observation().templateFingerprint())
          .containsExactly(
              TemplateFingerprint.of(first.prompt()), TemplateFingerprint.of(second.prompt()));
    }
  }

  private static float[] unitVector(long seed) {
    java.util.Random random = new java.util.Random(seed);
    float[] v = new float[ContractLimits.DEFAULT.embeddingDimension()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }
}
