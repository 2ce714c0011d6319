package io.distillguard.ingest.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.DeadLetter;
import io.distillguard.contract.Parsed;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.EmbedderSettings;
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
}
