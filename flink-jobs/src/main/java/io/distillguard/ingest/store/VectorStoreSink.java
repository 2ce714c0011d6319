package io.distillguard.ingest.store;

import io.distillguard.ingest.metrics.IngestMetrics;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link QueryRecord}s to the {@link VectorStore} in batches: a batch is upserted when it
 * reaches {@code batchSize} records or its oldest record has waited {@code flushInterval}, and
 * always before a checkpoint and at end of input ({@link SinkWriter#flush}), so a completed
 * checkpoint means every record before it is stored.
 *
 * <p>At-least-once, and idempotent by event id: a record written again after a restart or a replay
 * of the same input replaces itself in the store rather than adding a second one.
 *
 * <p>Each writer opens the store with {@link VectorStores#open} (a shared, reference-counted
 * instance per target in one JVM) and releases it on close.
 *
 * <p><b>Failures.</b> A batch the store refuses is tried {@value #ATTEMPTS} times in all, with a
 * growing pause. If it still fails, its records are written one by one: a record the store refuses
 * on its own while the store still answers (the others are written, or a count succeeds) is
 * quarantined, logged with its ids and the store's reason and counted ({@value
 * IngestMetrics#RECORDS_QUARANTINED}), so one record can never fail the job and restart it onto
 * itself. Only a store that answers nothing at all fails the job (an outage, for the restart
 * strategy to wait out).
 */
public final class VectorStoreSink implements Sink<QueryRecord> {

  /** Tries per batch before its records are written one by one. */
  static final int ATTEMPTS = 3;

  /** Pause before the second try; doubled before each further one. */
  static final long FIRST_PAUSE_MILLIS = 100;

  private final StoreTarget target;
  private final int batchSize;
  private final long flushIntervalMillis;

  public VectorStoreSink(StoreSettings settings, int batchSize, Duration flushInterval) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
    }
    this.target = StoreTarget.of(settings);
    this.batchSize = batchSize;
    this.flushIntervalMillis = flushInterval.toMillis();
  }

  @Override
  public SinkWriter<QueryRecord> createWriter(WriterInitContext context) {
    return new Writer(
        VectorStores.open(target.toSettings()),
        context.getProcessingTimeService(),
        batchSize,
        flushIntervalMillis,
        IngestMetrics.group(context.metricGroup()));
  }

  static final class Writer implements SinkWriter<QueryRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(VectorStoreSink.class);

    private final VectorStore store;
    private final ProcessingTimeService time;
    private final int batchSize;
    private final long flushIntervalMillis;
    private final List<QueryRecord> batch;
    private final Counter recordsStored;
    private final Counter recordsQuarantined;
    private final Histogram writeLatency;
    private volatile long lastWriteLatencyMillis;
    private boolean timerArmed;
    private long written;

    Writer(
        VectorStore store,
        ProcessingTimeService time,
        int batchSize,
        long flushIntervalMillis,
        MetricGroup metrics) {
      this.store = store;
      this.recordsStored = metrics.counter(IngestMetrics.RECORDS_STORED);
      this.recordsQuarantined = metrics.counter(IngestMetrics.RECORDS_QUARANTINED);
      this.writeLatency =
          metrics.histogram(
              IngestMetrics.STORE_WRITE_LATENCY_MS, new DescriptiveStatisticsHistogram(500));
      metrics.gauge(
          IngestMetrics.STORE_LAST_WRITE_LATENCY_MS, (Gauge<Long>) () -> lastWriteLatencyMillis);
      this.time = time;
      this.batchSize = batchSize;
      this.flushIntervalMillis = flushIntervalMillis;
      this.batch = new ArrayList<>(batchSize);
    }

    @Override
    public void write(QueryRecord record, Context context) {
      batch.add(record);
      if (batch.size() >= batchSize) {
        upsertBatch();
      } else if (!timerArmed) {
        // The callback runs in the task's mailbox thread, never concurrently with write().
        timerArmed = true;
        time.registerTimer(
            time.getCurrentProcessingTime() + flushIntervalMillis,
            ts -> {
              timerArmed = false;
              upsertBatch();
            });
      }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
      upsertBatch();
      // Checkpoint or end of input: make what was upserted durable, not only visible.
      store.flush();
    }

    private void upsertBatch() {
      if (batch.isEmpty()) {
        return;
      }
      long start = System.nanoTime();
      List<QueryRecord> records = List.copyOf(batch);
      batch.clear();
      RuntimeException failure = null;
      for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        try {
          store.upsert(records);
          failure = null;
          break;
        } catch (RuntimeException e) {
          failure = e;
          LOG.warn(
              "upsert of {} records failed (try {} of {}): {}",
              records.size(),
              attempt,
              ATTEMPTS,
              e.toString());
          if (attempt < ATTEMPTS) {
            pause(FIRST_PAUSE_MILLIS << (attempt - 1));
          }
        }
      }
      int stored = failure == null ? records.size() : isolate(records, failure);
      long millis = (System.nanoTime() - start) / 1_000_000;
      writeLatency.update(millis);
      lastWriteLatencyMillis = millis;
      recordsStored.inc(stored);
      written += stored;
    }

    /**
     * Writes the records of a refused batch one by one; quarantines those refused alone while the
     * store still answers. Returns how many were stored.
     */
    private int isolate(List<QueryRecord> records, RuntimeException batchFailure) {
      int stored = 0;
      List<QueryRecord> refused = new ArrayList<>();
      List<RuntimeException> reasons = new ArrayList<>();
      for (QueryRecord r : records) {
        try {
          store.upsert(List.of(r));
          stored++;
        } catch (RuntimeException e) {
          refused.add(r);
          reasons.add(e);
        }
      }
      if (stored == 0 && !storeAnswers()) {
        throw new IllegalStateException(
            "the vector store refuses every write and answers no read: failing for a restart",
            batchFailure);
      }
      for (int i = 0; i < refused.size(); i++) {
        QueryRecord r = refused.get(i);
        recordsQuarantined.inc();
        LOG.error(
            "quarantined record of event {} of account {}: the store refuses it: {}",
            r.eventId(),
            r.accountId(),
            reasons.get(i).toString());
      }
      return stored;
    }

    private boolean storeAnswers() {
      try {
        store.count(io.distillguard.store.RecordFilter.all().withTimeRange(0L, 0L));
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    }

    private static void pause(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted between store retries", e);
      }
    }

    @Override
    public void close() {
      LOG.info("vector store writer closing after {} records", written);
      store.close();
    }
  }
}
