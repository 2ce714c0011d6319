package io.distillguard.ingest.enrich;

import io.distillguard.embedding.BatchingEmbedder;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.SharedEmbedders;
import io.distillguard.enrich.QueryEnricher;
import io.distillguard.taxonomy.CapabilityTaxonomy;

/**
 * What an operator needs from the model: the JVM-wide shared embedder (loaded once per TaskManager,
 * released on close) and a {@link QueryEnricher} over it. Operators acquire one in {@code open()}
 * and close it in {@code close()}.
 */
public final class ModelResources implements AutoCloseable {

  private final BatchingEmbedder embedder;
  private final QueryEnricher enricher;

  private ModelResources(BatchingEmbedder embedder, QueryEnricher enricher) {
    this.embedder = embedder;
    this.enricher = enricher;
  }

  /** Acquires the shared embedder and an enricher over the default taxonomy. */
  public static ModelResources acquire(EmbedderSettings settings) {
    BatchingEmbedder embedder = SharedEmbedders.acquire(settings);
    try {
      // Embeds the taxonomy's category texts (one batch of ~200 short texts) per operator instance.
      return new ModelResources(
          embedder, QueryEnricher.create(CapabilityTaxonomy.loadDefault(), embedder));
    } catch (RuntimeException e) {
      embedder.close();
      throw e;
    }
  }

  public BatchingEmbedder embedder() {
    return embedder;
  }

  public QueryEnricher enricher() {
    return enricher;
  }

  @Override
  public void close() {
    embedder.close();
  }
}
