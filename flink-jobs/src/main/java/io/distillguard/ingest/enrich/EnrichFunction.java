package io.distillguard.ingest.enrich;

import io.distillguard.campaign.LinkExtractor;
import io.distillguard.campaign.LinkHasher;
import io.distillguard.campaign.ObservationLinks;
import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.DeadLetter;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.LazySharedEmbedder;
import io.distillguard.enrich.Enrichment;
import io.distillguard.enrich.PromptSplit;
import io.distillguard.enrich.QueryEnricher;
import io.distillguard.enrich.StatedUse;
import io.distillguard.ingest.Descriptors;
import io.distillguard.ingest.embed.EmbeddedEvent;
import io.distillguard.ingest.metrics.IngestMetrics;
import io.distillguard.ingest.profile.ProfiledEvent;
import io.distillguard.observe.AccountObservation;
import io.distillguard.store.QueryRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an embedded event into its {@link QueryRecord} and {@link AccountObservation}: capability
 * category, similarity to the stated use, LSH signature and template fingerprint (all from {@link
 * QueryEnricher}), read from the prompt's payload when it starts with its account's scaffold (the
 * record then keeps the payload and a reference to the scaffold, see {@link PreambleMetadata}), and
 * the campaign link keys of the query and its profile ({@link ObservationLinks}, keyed with {@code
 * DISTILLGUARD_LINK_SECRET}; the keys of recent profiles, clients and prompts are kept, not hashed
 * again). An event whose embedding failed, or that cannot be enriched, becomes a dead letter
 * carrying the event re-encoded as its original JSON line.
 */
public final class EnrichFunction extends ProcessFunction<EmbeddedEvent, EnrichedQuery> {

  private static final Logger LOG = LoggerFactory.getLogger(EnrichFunction.class);

  /** The dead-letter source of events refused after parsing (embedding or enrichment failed). */
  public static final String SOURCE = "enrich";

  // EmbedderSettings is not Serializable: the function carries its parts and rebuilds it in open().
  private final int embedderThreads;
  private final int embedderMaxTokens;
  private final int embedderBatchSize;
  private final ContractLimits limits;
  private final String taxonomyFile;
  private final Duration taxonomyCheckInterval;
  private transient EnrichResources model;
  private transient LazySharedEmbedder embedder;
  private transient TaxonomyReloader taxonomy;
  private transient ContractCodec codec;

  /** Distinct profiles, clients and prompts whose link keys each subtask keeps. */
  static final int LINK_MEMO_ENTRIES = 2048;

  private transient ObservationLinks.Memo links;
  private transient Counter deadLettered;

  /** Enriches with the built-in taxonomy, fixed for the operator's lifetime. */
  public EnrichFunction(EmbedderSettings embedderSettings, ContractLimits limits) {
    this(embedderSettings, limits, null, Duration.ofSeconds(10));
  }

  /**
   * Enriches with the taxonomy in {@code taxonomyFile} (on the TaskManager's file system) and
   * follows its changes, checked every {@code checkInterval} (see {@link TaxonomyReloader}); with a
   * null file, like {@link #EnrichFunction(EmbedderSettings, ContractLimits)}.
   *
   * <p>A changed taxonomy can change the number and order of categories, so the stated use's
   * expected category shares (computed by the profile join with the taxonomy of its time) are
   * recomputed here from the stated-use embedding with the current taxonomy: an observation's
   * category and shares always come from the same taxonomy.
   */
  public EnrichFunction(
      EmbedderSettings embedderSettings,
      ContractLimits limits,
      String taxonomyFile,
      Duration checkInterval) {
    this.embedderThreads = embedderSettings.threads();
    this.embedderMaxTokens = embedderSettings.maxTokens();
    this.embedderBatchSize = embedderSettings.batchSize();
    this.limits = limits;
    this.taxonomyFile = taxonomyFile;
    this.taxonomyCheckInterval = checkInterval;
  }

  @Override
  public void open(OpenContext openContext) {
    EmbedderSettings settings =
        new EmbedderSettings(embedderThreads, embedderMaxTokens, embedderBatchSize);
    // Neither path loads the model for the built-in categories (their centroids are shipped): it
    // is acquired only to embed the categories of another taxonomy file.
    if (taxonomyFile == null) {
      model = EnrichResources.open(settings);
    } else {
      embedder = new LazySharedEmbedder(settings);
      try {
        taxonomy =
            new TaxonomyReloader(
                Path.of(taxonomyFile), taxonomyCheckInterval, embedder, System::currentTimeMillis);
      } catch (RuntimeException e) {
        embedder.close();
        embedder = null;
        throw e;
      }
    }
    codec = new ContractCodec(limits);
    if (!LinkHasher.secretConfigured()) {
      LOG.warn(
          "{} is not set: campaign link keys are hashed with the built-in local secret",
          LinkHasher.SECRET_ENV);
    }
    links =
        new ObservationLinks.Memo(
            new LinkExtractor(LinkHasher.fromEnvironment()), LINK_MEMO_ENTRIES);
    deadLettered =
        IngestMetrics.group(getRuntimeContext().getMetricGroup())
            .counter(IngestMetrics.DEAD_LETTERED);
    IngestMetrics.group(getRuntimeContext().getMetricGroup())
        .gauge(
            IngestMetrics.TAXONOMY_VERSION,
            (Gauge<Integer>) () -> taxonomy == null ? 0 : taxonomy.version());
    IngestMetrics.group(getRuntimeContext().getMetricGroup())
        .gauge(IngestMetrics.MODEL_ACQUIRED, (Gauge<Integer>) () -> modelAcquired() ? 1 : 0);
  }

  /** Whether this subtask has loaded the embedding model. */
  boolean modelAcquired() {
    return (model != null && model.modelAcquired()) || (embedder != null && embedder.acquired());
  }

  @Override
  public void close() throws Exception {
    if (model != null) {
      model.close();
      model = null;
    }
    if (embedder != null) {
      embedder.close();
      embedder = null;
    }
    super.close();
  }

  @Override
  public void processElement(EmbeddedEvent in, Context ctx, Collector<EnrichedQuery> out) {
    ProfiledEvent joined = in.event();
    QueryEvent event = joined.event();
    if (in.isFailure()) {
      ctx.output(Descriptors.DEAD_LETTERS, deadLetter(event, in.failure()));
      return;
    }
    try {
      QueryEnricher enricher = taxonomy == null ? model.enricher() : taxonomy.current();
      StatedUse statedUse = joined.statedUse();
      if (taxonomy != null && statedUse != null) {
        statedUse = enricher.statedUse(statedUse.embedding());
      }
      PromptSplit split = joined.split();
      Enrichment enrichment = enricher.enrich(in.embedding(), split.payload(), statedUse);
      // Campaign link keys, hashed here: the client IP leaves this step only as its keyed hash.
      AccountObservation observation =
          links.attach(
              QueryEnricher.observation(event, joined.profile(), statedUse, enrichment),
              event,
              joined.profile());
      QueryRecord record =
          new QueryRecord(
              event.eventId(),
              event.accountId(),
              event.timestamp().toEpochMilli(),
              enrichment.category(),
              enrichment.statedUseSimilarity(),
              split.payload(),
              in.embedding(),
              PreambleMetadata.with(metadata(event), split, in.preambleEmbedding()));
      out.collect(new EnrichedQuery(record, observation, event));
    } catch (RuntimeException e) {
      LOG.warn("enrichment of event {} failed: {}", event.eventId(), e.toString());
      ctx.output(
          Descriptors.DEAD_LETTERS,
          deadLetter(
              event, "enrichment failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }

  private DeadLetter deadLetter(QueryEvent event, String reason) {
    deadLettered.inc();
    return new DeadLetter(SOURCE, reason, codec.writeEvent(event), System.currentTimeMillis());
  }

  /** Optional event fields worth keeping next to the evidence (never the client address). */
  private static Map<String, String> metadata(QueryEvent event) {
    Map<String, String> m = new HashMap<>();
    if (event.model() != null) {
      m.put("model", event.model());
    }
    if (event.apiKeyId() != null) {
      m.put("api_key_id", event.apiKeyId());
    }
    return m;
  }
}
