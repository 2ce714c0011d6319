package io.distillguard.ingest.metrics;

import org.apache.flink.metrics.MetricGroup;

/**
 * Names of the job's own Flink metrics, in one place for operators, dashboards and tests. Every
 * metric lives in the group {@value #GROUP} under its operator's scope, so a reporter shows e.g.
 * {@code <job>.<operator "parse events">.<subtask>.distillguard.eventsIn}; the stage that
 * dead-lettered a record is the operator the {@value #DEAD_LETTERED} counter belongs to (parse
 * events, parse profiles, enrich).
 */
public final class IngestMetrics {

  /** The metric group every DistillGuard metric is registered in. */
  public static final String GROUP = "distillguard";

  /** Counter, operator "parse events": raw event records read (valid or not). */
  public static final String EVENTS_IN = "eventsIn";

  /**
   * Counter, operators "parse events", "parse profiles", "join profile", "enrich": records
   * dead-lettered.
   */
  public static final String DEAD_LETTERED = "deadLettered";

  /** Counter, operator "parse profiles": profiles deleted by a tombstone (null Kafka value). */
  public static final String PROFILES_DELETED = "profilesDeleted";

  /**
   * Counter, operator "join profile": events that arrived behind the watermark (older than events
   * already released). They are joined with the current profile and go on like any other.
   */
  public static final String LATE_EVENTS = "lateEvents";

  /** Counter, operator "embed prompts": prompts given a vector, by the model or from the cache. */
  public static final String EMBEDDED = "embedded";

  /** Meter, operator "embed prompts": prompts embedded per second (60 s average). */
  public static final String EMBEDDED_PER_SECOND = "embeddedPerSecond";

  /** Counter, operator "embed prompts": events that carried their own embedding. */
  public static final String EMBEDDINGS_PRECOMPUTED = "embeddingsPrecomputed";

  /**
   * Counter, operator "embed prompts": prompts found in the TaskManager's embedding cache (already
   * embedded, or being embedded, for an earlier event with the exact same text).
   */
  public static final String EMBED_CACHE_HITS = "embedCacheHits";

  /** Counter, operator "embed prompts": prompts not in the embedding cache, sent to the model. */
  public static final String EMBED_CACHE_MISSES = "embedCacheMisses";

  /** Counter, operator "embed prompts": failed or timed-out embedding attempts. */
  public static final String EMBED_FAILURES = "embedFailures";

  /** Split preamble: prompts that started with their account's learned scaffold. */
  public static final String PREAMBLE_SPLIT = "preambleSplit";

  /** Split preamble: scaffold versions learned (each is embedded and stored once). */
  public static final String PREAMBLE_VERSIONS = "preambleVersions";

  /** Counter, operator "vector store": records upserted. */
  public static final String RECORDS_STORED = "recordsStored";

  /**
   * Counter, operator "vector store": records the store refused on their own after the batch's
   * retries (each one a dead letter with the store's reason and its event; the job goes on).
   */
  public static final String RECORDS_QUARANTINED = "recordsQuarantined";

  /** Histogram, operator "vector store": milliseconds per batch upsert (last 500 batches). */
  public static final String STORE_WRITE_LATENCY_MS = "storeWriteLatencyMs";

  /** Gauge, operator "vector store": milliseconds the last batch upsert took. */
  public static final String STORE_LAST_WRITE_LATENCY_MS = "storeLastWriteLatencyMs";

  /** Counter, operator "to observations": observations emitted to the observation channel. */
  public static final String OBSERVATIONS_OUT = "observationsOut";

  /**
   * Gauge, operator "enrich": which taxonomy the operator uses; 0 for the built-in one, 1 for the
   * {@code taxonomy.file} as loaded at start, +1 for every change of the file taken since.
   */
  public static final String TAXONOMY_VERSION = "taxonomyVersion";

  /**
   * Gauge, operators "join profile" and "enrich": 1 once the subtask has loaded (acquired) the
   * embedding model, 0 while it has not. Both hold the taxonomy's shipped centroids and need the
   * model only for a stated use that arrives without its vector (or a taxonomy file with other
   * categories than the built-in ones).
   */
  public static final String MODEL_ACQUIRED = "modelAcquired";

  private IngestMetrics() {}

  /** The {@value #GROUP} group under an operator's metric group. */
  public static MetricGroup group(MetricGroup operator) {
    return operator.addGroup(GROUP);
  }
}
