package io.distillguard.ingest;

import static io.distillguard.settings.SettingValues.requireAtLeast;
import static io.distillguard.settings.SettingValues.requirePositive;

import io.distillguard.contract.ContractLimits;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.ingest.parse.EventTimeRange;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How the ingest job runs: everything tunable about the pipeline, read once (see {@link
 * IngestConfig}) and handed to {@link IngestJob}.
 *
 * @param parallelism default operator parallelism; {@code <= 0} keeps the environment's
 * @param embedderThreads ONNX sessions of the shared embedder (one per core is right)
 * @param embedderMaxTokens token cap per prompt
 * @param embedderBatchSize texts per model call
 * @param contractLimits the bounds the parser enforces
 * @param outOfOrderness how far event timestamps may run behind the newest seen (watermark bound)
 * @param sourceIdleness an unbounded source partition silent this long no longer holds back the
 *     watermark (Kafka only: bounded file inputs end instead)
 * @param embedTimeout how long one embedding may take before it counts as failed
 * @param embedAttempts how often an embedding is tried before its event is dead-lettered
 * @param embedRetryDelay pause between attempts
 * @param storeBatchSize records per vector-store upsert
 * @param storeFlushInterval the longest a record waits in a partial batch
 * @param profileTtl an account profile not replaced for this long (processing time) is forgotten
 * @param checkpointInterval checkpoint period; zero or null disables checkpointing
 * @param taxonomyFile a capability taxonomy file present on every TaskManager, used instead of the
 *     built-in one and reloaded while the job runs when its content changes; null for the built-in
 *     taxonomy, fixed for the job's lifetime
 * @param taxonomyCheckInterval how often the enrich operator looks at {@code taxonomyFile}
 */
public record IngestSettings(
    int parallelism,
    int embedderThreads,
    int embedderMaxTokens,
    int embedderBatchSize,
    ContractLimits contractLimits,
    Duration outOfOrderness,
    Duration sourceIdleness,
    Duration embedTimeout,
    int embedAttempts,
    Duration embedRetryDelay,
    int storeBatchSize,
    Duration storeFlushInterval,
    Duration profileTtl,
    Duration checkpointInterval,
    String taxonomyFile,
    Duration taxonomyCheckInterval,
    EventTimeRange eventTimeRange)
    implements Serializable {

  public IngestSettings {
    Objects.requireNonNull(contractLimits, "contractLimits");
    requirePositive(outOfOrderness, "outOfOrderness", true);
    requirePositive(sourceIdleness, "sourceIdleness", false);
    requirePositive(embedTimeout, "embedTimeout", false);
    requirePositive(embedRetryDelay, "embedRetryDelay", false);
    requirePositive(storeFlushInterval, "storeFlushInterval", false);
    requirePositive(profileTtl, "profileTtl", false);
    // validates threads / tokens / batch size with the embedding module's own rules
    new EmbedderSettings(embedderThreads, embedderMaxTokens, embedderBatchSize);
    requireAtLeast(embedAttempts, 1, "embedAttempts");
    requireAtLeast(storeBatchSize, 1, "storeBatchSize");
    checkpointInterval = checkpointInterval == null ? Duration.ZERO : checkpointInterval;
    taxonomyCheckInterval =
        taxonomyCheckInterval == null ? Duration.ofSeconds(10) : taxonomyCheckInterval;
    requirePositive(taxonomyCheckInterval, "taxonomyCheckInterval", false);
    eventTimeRange = eventTimeRange == null ? EventTimeRange.DEFAULT : eventTimeRange;
  }

  /**
   * Defaults: the environment's parallelism, the embedder's defaults, 5 s out-of-orderness, 30 s
   * idleness, 30 s embed timeout with 3 attempts, batches of 256 records or 1 s, profiles kept 30
   * days, checkpoints off.
   */
  public static IngestSettings defaults() {
    EmbedderSettings e = EmbedderSettings.DEFAULT;
    return new IngestSettings(
        0,
        e.threads(),
        e.maxTokens(),
        e.batchSize(),
        ContractLimits.DEFAULT,
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofSeconds(30),
        3,
        Duration.ofMillis(200),
        256,
        Duration.ofSeconds(1),
        Duration.ofDays(30),
        Duration.ZERO,
        null,
        Duration.ofSeconds(10),
        EventTimeRange.DEFAULT);
  }

  /** The embedder configuration these settings describe. */
  public EmbedderSettings embedder() {
    return new EmbedderSettings(embedderThreads, embedderMaxTokens, embedderBatchSize);
  }

  /**
   * How many embeddings the async operator keeps in flight per subtask: enough to fill every model
   * thread with a full batch twice over, so the model never waits for the operator.
   */
  public int embedCapacity() {
    return Math.max(1, embedderBatchSize * embedderThreads * 2);
  }

  public IngestSettings withParallelism(int p) {
    return with(b -> b.parallelism = p);
  }

  public IngestSettings withEmbedder(EmbedderSettings e) {
    return with(
        b -> {
          b.embedderThreads = e.threads();
          b.embedderMaxTokens = e.maxTokens();
          b.embedderBatchSize = e.batchSize();
        });
  }

  public IngestSettings withStoreBatch(int batchSize, Duration flushInterval) {
    return with(
        b -> {
          b.storeBatchSize = batchSize;
          b.storeFlushInterval = flushInterval;
        });
  }

  public IngestSettings withCheckpointInterval(Duration interval) {
    return with(b -> b.checkpointInterval = interval);
  }

  /** These settings with the taxonomy read from (and reloaded from) {@code file}. */
  public IngestSettings withTaxonomyFile(String file, Duration checkInterval) {
    return with(
        b -> {
          b.taxonomyFile = file;
          b.taxonomyCheckInterval = checkInterval;
        });
  }

  /** A copy of these settings with {@code change} applied (the constructor validates it again). */
  public IngestSettings withEventTimeRange(EventTimeRange range) {
    return with(b -> b.eventTimeRange = range);
  }

  private IngestSettings with(Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The mutable twin of the record, for the {@code with...} copies. */
  private static final class Builder {
    private int parallelism;
    private int embedderThreads;
    private int embedderMaxTokens;
    private int embedderBatchSize;
    private ContractLimits contractLimits;
    private Duration outOfOrderness;
    private Duration sourceIdleness;
    private Duration embedTimeout;
    private int embedAttempts;
    private Duration embedRetryDelay;
    private int storeBatchSize;
    private Duration storeFlushInterval;
    private Duration profileTtl;
    private Duration checkpointInterval;
    private String taxonomyFile;
    private Duration taxonomyCheckInterval;
    private EventTimeRange eventTimeRange;

    private Builder(IngestSettings s) {
      parallelism = s.parallelism;
      embedderThreads = s.embedderThreads;
      embedderMaxTokens = s.embedderMaxTokens;
      embedderBatchSize = s.embedderBatchSize;
      contractLimits = s.contractLimits;
      outOfOrderness = s.outOfOrderness;
      sourceIdleness = s.sourceIdleness;
      embedTimeout = s.embedTimeout;
      embedAttempts = s.embedAttempts;
      embedRetryDelay = s.embedRetryDelay;
      storeBatchSize = s.storeBatchSize;
      storeFlushInterval = s.storeFlushInterval;
      profileTtl = s.profileTtl;
      checkpointInterval = s.checkpointInterval;
      taxonomyFile = s.taxonomyFile;
      taxonomyCheckInterval = s.taxonomyCheckInterval;
      eventTimeRange = s.eventTimeRange;
    }

    private IngestSettings build() {
      return new IngestSettings(
          parallelism,
          embedderThreads,
          embedderMaxTokens,
          embedderBatchSize,
          contractLimits,
          outOfOrderness,
          sourceIdleness,
          embedTimeout,
          embedAttempts,
          embedRetryDelay,
          storeBatchSize,
          storeFlushInterval,
          profileTtl,
          checkpointInterval,
          taxonomyFile,
          taxonomyCheckInterval,
          eventTimeRange);
    }
  }
}
