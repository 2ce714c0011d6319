package io.distillguard.ingest.store;

import io.distillguard.contract.QueryEvent;
import io.distillguard.ingest.metrics.IngestMetrics;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.RecordFilter;
import io.distillguard.store.VectorStore;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes evidence records to the {@link VectorStore} in batches: a batch is upserted when it
 * reaches {@code batchSize} records or its oldest record has waited {@code flushIntervalMillis},
 * and always on {@link #flush} (before a checkpoint barrier and at end of input), so a completed
 * checkpoint means every record before it is stored. Idempotent by event id: a record written again
 * after a restart or a replay of the same input replaces itself.
 *
 * <p><b>Failures.</b> A batch the store refuses is tried {@value #ATTEMPTS} times in all, with a
 * growing pause. If it still fails, its records are written one by one: a record the store refuses
 * on its own while the store still answers (the others are written, or a count succeeds) is handed
 * to the {@link Refusals} with the event it came from and the store's reason, logged and counted
 * ({@value IngestMetrics#RECORDS_QUARANTINED}), so one record can never fail the job and restart it
 * onto itself, and it is not lost. Only a store that answers nothing at all fails the job (an
 * outage, for the restart strategy to wait out).
 *
 * <p>Not thread-safe: called from the task's mailbox thread only (elements, timers, barriers).
 */
public final class StoreWriter implements AutoCloseable {

  /** Tries per batch before its records are written one by one. */
  static final int ATTEMPTS = 3;

  /** Pause before the second try; doubled before each further one. */
  static final long FIRST_PAUSE_MILLIS = 100;

  private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);

  /** Receives each record the store refused on its own. */
  @FunctionalInterface
  public interface Refusals {
    void refused(QueryRecord record, QueryEvent event, RuntimeException reason);
  }

  private record Pending(QueryRecord record, QueryEvent event) {}

  private final VectorStore store;
  private final ProcessingTimeService time;
  private final int batchSize;
  private final long flushIntervalMillis;
  private final Refusals refusals;
  private final List<Pending> batch;
  private final Counter recordsStored;
  private final Counter recordsQuarantined;
  private final Histogram writeLatency;
  private volatile long lastWriteLatencyMillis;
  private boolean timerArmed;
  private long written;

  StoreWriter(
      VectorStore store,
      ProcessingTimeService time,
      int batchSize,
      long flushIntervalMillis,
      MetricGroup metrics,
      Refusals refusals) {
    this.store = store;
    this.time = time;
    this.batchSize = batchSize;
    this.flushIntervalMillis = flushIntervalMillis;
    this.refusals = refusals;
    this.batch = new ArrayList<>(batchSize);
    this.recordsStored = metrics.counter(IngestMetrics.RECORDS_STORED);
    this.recordsQuarantined = metrics.counter(IngestMetrics.RECORDS_QUARANTINED);
    this.writeLatency =
        metrics.histogram(
            IngestMetrics.STORE_WRITE_LATENCY_MS, new DescriptiveStatisticsHistogram(500));
    metrics.gauge(
        IngestMetrics.STORE_LAST_WRITE_LATENCY_MS, (Gauge<Long>) () -> lastWriteLatencyMillis);
  }

  /** Buffers the record of {@code event}; writes the batch once it is full. */
  public void write(QueryRecord record, QueryEvent event) {
    batch.add(new Pending(record, event));
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

  /** Writes what is buffered and makes everything written durable, not only visible. */
  public void flush() {
    upsertBatch();
    store.flush();
  }

  private void upsertBatch() {
    if (batch.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    List<Pending> pending = List.copyOf(batch);
    batch.clear();
    List<QueryRecord> records = pending.stream().map(Pending::record).toList();
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
    int stored = failure == null ? records.size() : isolate(pending, failure);
    long millis = (System.nanoTime() - start) / 1_000_000;
    writeLatency.update(millis);
    lastWriteLatencyMillis = millis;
    recordsStored.inc(stored);
    written += stored;
  }

  /**
   * Writes the records of a refused batch one by one; hands on those refused alone while the store
   * still answers. Returns how many were stored.
   */
  private int isolate(List<Pending> pending, RuntimeException batchFailure) {
    int stored = 0;
    List<Pending> refused = new ArrayList<>();
    List<RuntimeException> reasons = new ArrayList<>();
    for (Pending p : pending) {
      try {
        store.upsert(List.of(p.record()));
        stored++;
      } catch (RuntimeException e) {
        refused.add(p);
        reasons.add(e);
      }
    }
    if (stored == 0 && !storeAnswers()) {
      throw new IllegalStateException(
          "the vector store refuses every write and answers no read: failing for a restart",
          batchFailure);
    }
    for (int i = 0; i < refused.size(); i++) {
      Pending p = refused.get(i);
      recordsQuarantined.inc();
      LOG.error(
          "the store refuses the record of event {} of account {}, sent to the dead letters: {}",
          p.record().eventId(),
          p.record().accountId(),
          reasons.get(i).toString());
      refusals.refused(p.record(), p.event(), reasons.get(i));
    }
    return stored;
  }

  private boolean storeAnswers() {
    try {
      store.count(RecordFilter.all().withTimeRange(0L, 0L));
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

  /** Releases the store (what is still buffered was written by the last {@link #flush}). */
  @Override
  public void close() {
    LOG.info("vector store writer closing after {} records", written);
    store.close();
  }
}
