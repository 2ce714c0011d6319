package io.distillguard.ingest.store;

import static io.distillguard.ingest.store.StoreWriterTest.event;
import static io.distillguard.ingest.store.StoreWriterTest.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.DeadLetter;
import io.distillguard.contract.Parsed;
import io.distillguard.contract.QueryEvent;
import io.distillguard.ingest.enrich.EnrichedQuery;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.RecordFilter;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evidence write as the job runs it: records stored before each checkpoint barrier and at end
 * of input, and a record the store refuses leaves as a dead letter holding its event's line.
 */
class StoreRecordsOperatorTest {

  @TempDir Path dir;

  @Test
  void storesBeforeTheBarrierAndDeadLettersWhatTheStoreRefuses() throws Exception {
    StoreSettings settings = StoreSettings.embedded(dir);
    StoreRecordsOperator operator = new StoreRecordsOperator(settings, 100, Duration.ofMinutes(10));
    try (VectorStore reader = VectorStores.open(settings);
        OneInputStreamOperatorTestHarness<EnrichedQuery, DeadLetter> h =
            new OneInputStreamOperatorTestHarness<>(operator)) {
      h.open();
      h.processElement(query(record("e1"), event("e1")), 0L);
      h.processElement(query(record("e2"), event("e2")), 0L);
      assertThat(reader.count(RecordFilter.all())).isZero(); // a partial batch waits

      h.prepareSnapshotPreBarrier(1L); // a checkpoint covers what came before it
      assertThat(reader.count(RecordFilter.all())).isEqualTo(2);
      assertThat(h.extractOutputValues()).isEmpty();

      // A real poison record: the store refuses a vector of another dimension.
      QueryEvent poisonEvent = event("bad");
      QueryRecord poison =
          new QueryRecord("bad", "acct-1", 1_000L, "math", 0.5f, "p", new float[7], Map.of());
      h.processElement(query(poison, poisonEvent), 0L);
      h.processElement(query(record("e3"), event("e3")), 0L);
      h.endInput();

      assertThat(reader.count(RecordFilter.all())).isEqualTo(3);
      List<DeadLetter> letters = h.extractOutputValues();
      assertThat(letters).hasSize(1);
      DeadLetter letter = letters.get(0);
      assertThat(letter.source()).isEqualTo(StoreRecordsOperator.SOURCE);
      assertThat(letter.reason())
          .startsWith("the vector store refused the evidence record: ")
          .contains("dimension 7");
      // the line is the event as v1 JSON: sent again once the cause is fixed
      assertThat(new ContractCodec(ContractLimits.DEFAULT).parseEvent(letter.line()))
          .isEqualTo(new Parsed.Ok<>(poisonEvent));
    }
    assertThat(VectorStores.references(settings)).isZero();
  }

  private static EnrichedQuery query(QueryRecord record, QueryEvent event) {
    return new EnrichedQuery(record, null, event);
  }
}
