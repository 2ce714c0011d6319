package io.distillguard.ingest.store;

import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.DeadLetter;
import io.distillguard.contract.QueryEvent;
import io.distillguard.ingest.enrich.EnrichedQuery;
import io.distillguard.ingest.metrics.IngestMetrics;
import io.distillguard.store.QueryRecord;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.time.Duration;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The evidence write: stores each enriched query's record in the vector store (batched by {@link
 * StoreWriter}) and emits a {@link DeadLetter} for each record the store refuses on its own, so a
 * refused record reaches the dead letters like any other record the pipeline could not take, with
 * its event as a v1 line to send again once the cause is fixed (the store upserts by event id and
 * the account counts an event id once).
 *
 * <p>An operator rather than a sink because a sink has no output: it flushes before each checkpoint
 * barrier ({@link #prepareSnapshotPreBarrier}), so a completed checkpoint means every record before
 * it is stored or dead-lettered, and at end of input (a bounded replay, a drained stop).
 *
 * <p>Each instance opens the store with {@link VectorStores#open} (a shared, reference-counted
 * instance per target in one JVM) and releases it on close.
 */
public final class StoreRecordsOperator extends AbstractStreamOperator<DeadLetter>
    implements OneInputStreamOperator<EnrichedQuery, DeadLetter>, BoundedOneInput {

  private static final long serialVersionUID = 1L;

  /** The {@code source} of the dead letters of records the store refused. */
  public static final String SOURCE = "vector-store";

  private final StoreTarget target;
  private final int batchSize;
  private final long flushIntervalMillis;
  private transient StoreWriter writer;
  private transient ContractCodec codec;

  public StoreRecordsOperator(StoreSettings settings, int batchSize, Duration flushInterval) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
    }
    this.target = StoreTarget.of(settings);
    this.batchSize = batchSize;
    this.flushIntervalMillis = flushInterval.toMillis();
  }

  @Override
  public void open() throws Exception {
    super.open();
    // Writing an event back to its line enforces no limit: the event passed them on the way in.
    codec = new ContractCodec(ContractLimits.DEFAULT);
    VectorStore store = VectorStores.open(target.toSettings());
    writer =
        new StoreWriter(
            store,
            getProcessingTimeService(),
            batchSize,
            flushIntervalMillis,
            IngestMetrics.group(getMetricGroup()),
            this::deadLetter);
  }

  @Override
  public void processElement(StreamRecord<EnrichedQuery> element) {
    EnrichedQuery query = element.getValue();
    writer.write(query.record(), query.event());
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    writer.flush();
  }

  @Override
  public void endInput() {
    writer.flush();
  }

  @Override
  public void close() throws Exception {
    try {
      if (writer != null) {
        writer.close();
        writer = null;
      }
    } finally {
      super.close();
    }
  }

  private void deadLetter(QueryRecord record, QueryEvent event, RuntimeException reason) {
    String why =
        "the vector store refused the evidence record: "
            + reason.getClass().getSimpleName()
            + ": "
            + reason.getMessage();
    output.collect(
        new StreamRecord<>(
            new DeadLetter(SOURCE, why, codec.writeEvent(event), System.currentTimeMillis())));
  }
}
