package io.distillguard.ingest.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.ingest.metrics.IngestMetrics;
import io.distillguard.ingest.metrics.RecordingMetricGroup;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.RecordFilter;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store writer against the real embedded store: batches by size and by time, idempotent. */
class VectorStoreSinkTest {

  @TempDir Path dir;

  @Test
  void batchesBySizeAndTimeFlushesAtEndOfInputAndUpsertsById() throws Exception {
    StoreSettings settings = StoreSettings.embedded(dir);
    TestProcessingTimeService time = new TestProcessingTimeService();
    RecordingMetricGroup metrics = new RecordingMetricGroup();
    time.setCurrentTime(0);
    try (VectorStore reader = VectorStores.open(settings)) {
      VectorStoreSink.Writer writer =
          new VectorStoreSink.Writer(VectorStores.open(settings), time, 3, 1000, metrics);

      writer.write(record("e1"), null);
      writer.write(record("e2"), null);
      assertThat(reader.count(RecordFilter.all())).isZero(); // a partial batch waits
      writer.write(record("e3"), null);
      assertThat(reader.count(RecordFilter.all())).isEqualTo(3); // full batch written

      writer.write(record("e4"), null);
      time.setCurrentTime(999);
      assertThat(reader.count(RecordFilter.all())).isEqualTo(3);
      time.setCurrentTime(1000); // the oldest buffered record has waited the flush interval
      assertThat(reader.count(RecordFilter.all())).isEqualTo(4);

      writer.write(record("e5"), null);
      writer.write(record("e1"), null); // replayed: replaces, never duplicates
      writer.flush(true);
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
      VectorStoreSink.Writer writer =
          new VectorStoreSink.Writer(VectorStores.open(settings), time, 3, 1000, metrics);
      // A real poison record: the store refuses a vector of another dimension.
      QueryRecord poison =
          new QueryRecord("bad", "acct-1", 1_000L, "math", 0.5f, "p", new float[7], Map.of());
      writer.write(record("e1"), null);
      writer.write(poison, null);
      writer.write(record("e2"), null); // the batch is full: refused three times, then isolated
      writer.write(record("e3"), null);
      writer.flush(true);

      assertThat(reader.count(RecordFilter.all())).isEqualTo(3);
      assertThat(metrics.registeredCounter(IngestMetrics.RECORDS_QUARANTINED).getCount())
          .isEqualTo(1);
      assertThat(metrics.registeredCounter(IngestMetrics.RECORDS_STORED).getCount()).isEqualTo(3);
      writer.close();
    }
  }

  @Test
  void aBatchOfOnlyAPoisonRecordIsQuarantinedWhileTheStoreAnswers() throws Exception {
    StoreSettings settings = StoreSettings.embedded(dir);
    RecordingMetricGroup metrics = new RecordingMetricGroup();
    VectorStoreSink.Writer writer =
        new VectorStoreSink.Writer(
            VectorStores.open(settings), new TestProcessingTimeService(), 1, 1000, metrics);
    writer.write(
        new QueryRecord("bad", "acct-1", 1_000L, "math", 0.5f, "p", new float[7], Map.of()), null);
    writer.flush(true);
    assertThat(metrics.registeredCounter(IngestMetrics.RECORDS_QUARANTINED).getCount())
        .isEqualTo(1);
    writer.close();
  }

  @Test
  void aStoreThatAnswersNothingFailsTheWriterInsteadOfQuarantiningEverything() throws Exception {
    StoreSettings settings = StoreSettings.embedded(dir);
    RecordingMetricGroup metrics = new RecordingMetricGroup();
    VectorStore store = VectorStores.open(settings);
    VectorStoreSink.Writer writer =
        new VectorStoreSink.Writer(store, new TestProcessingTimeService(), 2, 1000, metrics);
    store.close(); // an outage: every write and every read fails
    writer.write(record("e1"), null);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.write(record("e2"), null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refuses every write and answers no read");
    assertThat(metrics.registeredCounter(IngestMetrics.RECORDS_QUARANTINED).getCount()).isZero();
  }

  private static QueryRecord record(String id) {
    float[] v = new float[384];
    v[id.hashCode() & 127] = 1f;
    return new QueryRecord(id, "acct-1", 1_000L, "math", 0.5f, "prompt " + id, v, Map.of());
  }
}
