package io.distillguard.ingest.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.contract.QueryEvent;
import io.distillguard.ingest.metrics.IngestMetrics;
import io.distillguard.ingest.metrics.RecordingMetricGroup;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.RecordFilter;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store writer against the real embedded store: batches by size and by time, idempotent. */
class StoreWriterTest {

  @TempDir Path dir;

  private record Refused(QueryRecord record, QueryEvent event, RuntimeException reason) {}

  private final List<Refused> refused = new ArrayList<>();

  private StoreWriter.Refusals refusals() {
    return (record, event, reason) -> refused.add(new Refused(record, event, reason));
  }

  @Test
  void batchesBySizeAndTimeFlushesAtEndOfInputAndUpsertsById() throws Exception {
    StoreSettings settings = StoreSettings.embedded(dir);
    TestProcessingTimeService time = new TestProcessingTimeService();
    RecordingMetricGroup metrics = new RecordingMetricGroup();
    time.setCurrentTime(0);
    try (VectorStore reader = VectorStores.open(settings)) {
      StoreWriter writer =
          new StoreWriter(VectorStores.open(settings), time, 3, 1000, metrics, refusals());

      writer.write(record("e1"), event("e1"));
      writer.write(record("e2"), event("e2"));
      assertThat(reader.count(RecordFilter.all())).isZero(); // a partial batch waits
      writer.write(record("e3"), event("e3"));
      assertThat(reader.count(RecordFilter.all())).isEqualTo(3); // full batch written

      writer.write(record("e4"), event("e4"));
      time.setCurrentTime(999);
      assertThat(reader.count(RecordFilter.all())).isEqualTo(3);
      time.setCurrentTime(1000); // the oldest buffered record has waited the flush interval
      assertThat(reader.count(RecordFilter.all())).isEqualTo(4);

      writer.write(record("e5"), event("e5"));
      writer.write(record("e1"), event("e1")); // replayed: replaces, never duplicates
      writer.flush();
      assertThat(reader.count(RecordFilter.all())).isEqualTo(5);
      // six records upserted in three batches (3, 1, 2): each batch's latency is recorded
      assertThat(metrics.registeredCounter(IngestMetrics.RECORDS_STORED).getCount()).isEqualTo(6);
      assertThat(metrics.histogram(IngestMetrics.STORE_WRITE_LATENCY_MS).getCount()).isEqualTo(3);
      assertThat(metrics.gauge(IngestMetrics.STORE_LAST_WRITE_LATENCY_MS).getValue())
          .isInstanceOf(Long.class);
      writer.close();
    }
    assertThat(VectorStores.references(settings)).isZero();
  }

  @Test
  void aRecordTheStoreRefusesIsQuarantinedAndTheRestOfItsBatchIsStored() throws Exception {
    StoreSettings settings = StoreSettings.embedded(dir);
    TestProcessingTimeService time = new TestProcessingTimeService();
    RecordingMetricGroup metrics = new RecordingMetricGroup();
    try (VectorStore reader = VectorStores.open(settings)) {
      StoreWriter writer =
          new StoreWriter(VectorStores.open(settings), time, 3, 1000, metrics, refusals());
      // A real poison record: the store refuses a vector of another dimension.
      QueryRecord poison =
          new QueryRecord("bad", "acct-1", 1_000L, "math", 0.5f, "p", new float[7], Map.of());
      writer.write(record("e1"), event("e1"));
      writer.write(poison, event("bad"));
      writer.write(
          record("e2"), event("e2")); // the batch is full: refused three times, then isolated
      writer.write(record("e3"), event("e3"));
      writer.flush();

      assertThat(reader.count(RecordFilter.all())).isEqualTo(3);
      assertThat(metrics.registeredCounter(IngestMetrics.RECORDS_QUARANTINED).getCount())
          .isEqualTo(1);
      assertThat(metrics.registeredCounter(IngestMetrics.RECORDS_STORED).getCount()).isEqualTo(3);
      // handed on with the event it came from and the store's reason, never dropped
      assertThat(refused).hasSize(1);
      assertThat(refused.get(0).record()).isSameAs(poison);
      assertThat(refused.get(0).event().eventId()).isEqualTo("bad");
      assertThat(refused.get(0).reason()).hasMessageContaining("dimension");
      writer.close();
    }
  }

  @Test
  void aBatchOfOnlyAPoisonRecordIsQuarantinedWhileTheStoreAnswers() throws Exception {
    StoreSettings settings = StoreSettings.embedded(dir);
    RecordingMetricGroup metrics = new RecordingMetricGroup();
    StoreWriter writer =
        new StoreWriter(
            VectorStores.open(settings),
            new TestProcessingTimeService(),
            1,
            1000,
            metrics,
            refusals());
    writer.write(
        new QueryRecord("bad", "acct-1", 1_000L, "math", 0.5f, "p", new float[7], Map.of()),
        event("bad"));
    writer.flush();
    assertThat(metrics.registeredCounter(IngestMetrics.RECORDS_QUARANTINED).getCount())
        .isEqualTo(1);
    writer.close();
  }

  @Test
  void aStoreThatAnswersNothingFailsTheWriterInsteadOfQuarantiningEverything() throws Exception {
    StoreSettings settings = StoreSettings.embedded(dir);
    RecordingMetricGroup metrics = new RecordingMetricGroup();
    VectorStore store = VectorStores.open(settings);
    StoreWriter writer =
        new StoreWriter(store, new TestProcessingTimeService(), 2, 1000, metrics, refusals());
    store.close(); // an outage: every write and every read fails
    writer.write(record("e1"), event("e1"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> writer.write(record("e2"), event("e2")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refuses every write and answers no read");
    assertThat(metrics.registeredCounter(IngestMetrics.RECORDS_QUARANTINED).getCount()).isZero();
    assertThat(refused).isEmpty();
  }

  static QueryEvent event(String id) {
    return new QueryEvent(
        id,
        "acct-1",
        Instant.ofEpochMilli(1_000L),
        "prompt " + id,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  static QueryRecord record(String id) {
    float[] v = new float[384];
    v[id.hashCode() & 127] = 1f;
    return new QueryRecord(id, "acct-1", 1_000L, "math", 0.5f, "prompt " + id, v, Map.of());
  }
}
