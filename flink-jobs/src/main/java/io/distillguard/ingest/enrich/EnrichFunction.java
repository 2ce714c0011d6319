package io.distillguard.ingest.enrich;

import io.distillguard.contract.ContractCodec;
import io.distillguard.contract.ContractLimits;
import io.distillguard.contract.DeadLetter;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.enrich.Enrichment;
import io.distillguard.enrich.QueryEnricher;
import io.distillguard.ingest.Descriptors;
import io.distillguard.ingest.embed.EmbeddedEvent;
import io.distillguard.ingest.metrics.IngestMetrics;
import io.distillguard.ingest.profile.ProfiledEvent;
import io.distillguard.observe.AccountObservation;
import io.distillguard.store.QueryRecord;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an embedded event into its {@link QueryRecord} and {@link AccountObservation}: capability
 * category, similarity to the stated use, LSH signature and template fingerprint (all from {@link
 * QueryEnricher}). An event whose embedding failed, or that cannot be enriched, becomes a dead
 * letter carrying the event re-encoded as its original JSON line.
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
  private transient ModelResources model;
  private transient ContractCodec codec;
  private transient Counter deadLettered;

  public EnrichFunction(EmbedderSettings embedderSettings, ContractLimits limits) {
    this.embedderThreads = embedderSettings.threads();
    this.embedderMaxTokens = embedderSettings.maxTokens();
    this.embedderBatchSize = embedderSettings.batchSize();
    this.limits = limits;
  }

  @Override
  public void open(OpenContext openContext) {
    model =
        ModelResources.acquire(
            new EmbedderSettings(embedderThreads, embedderMaxTokens, embedderBatchSize));
    codec = new ContractCodec(limits);
    deadLettered =
        IngestMetrics.group(getRuntimeContext().getMetricGroup())
            .counter(IngestMetrics.DEAD_LETTERED);
  }

  @Override
  public void close() throws Exception {
    if (model != null) {
      model.close();
      model = null;
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
      Enrichment enrichment =
          model.enricher().enrich(in.embedding(), event.prompt(), joined.statedUse());
      AccountObservation observation =
          QueryEnricher.observation(event, joined.profile(), joined.statedUse(), enrichment);
      QueryRecord record =
          new QueryRecord(
              event.eventId(),
              event.accountId(),
              event.timestamp().toEpochMilli(),
              enrichment.category(),
              enrichment.statedUseSimilarity(),
              event.prompt(),
              in.embedding(),
              metadata(event));
      out.collect(new EnrichedQuery(record, observation));
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
