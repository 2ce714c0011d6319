package io.distillguard.ingest.enrich;

import io.distillguard.embedding.BatchingEmbedder;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.SharedEmbedders;
import io.distillguard.enrich.QueryEnricher;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What an operator needs from the model: the JVM-wide shared embedder (loaded once per TaskManager,
 * released on close) and a {@link QueryEnricher} over it. Operators acquire one in {@code open()}
 * and close it in {@code close()}.
 */
public final class ModelResources implements AutoCloseable {

  /**
   * The taxonomy's centroids per token cap. They are a pure function of the (fixed) model, the
   * token cap and the default taxonomy, and embedding ~200 category texts costs seconds, so every
   * operator instance in a JVM reuses the first computation instead of repeating it. Immutable
   * values, never operator state.
   */
  private static final ConcurrentMap<Integer, Centroids> CENTROIDS = new ConcurrentHashMap<>();

  private record Centroids(List<String> names, float[][] vectors) {}

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
      Centroids c = CENTROIDS.computeIfAbsent(settings.maxTokens(), k -> centroids(embedder));
      return new ModelResources(
          embedder, QueryEnricher.fromCentroids(c.names(), c.vectors(), embedder));
    } catch (RuntimeException e) {
      embedder.close();
      throw e;
    }
  }

  private static Centroids centroids(BatchingEmbedder embedder) {
    QueryEnricher full = QueryEnricher.create(CapabilityTaxonomy.loadDefault(), embedder);
    List<String> names = full.categories();
    float[][] vectors = new float[names.size()][];
    for (int k = 0; k < vectors.length; k++) {
      vectors[k] = full.centroid(k);
    }
    return new Centroids(names, vectors);
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
