package io.distillguard.ingest.enrich;

import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.LazySharedEmbedder;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.embedding.TextEmbedder;
import io.distillguard.enrich.QueryEnricher;
import io.distillguard.enrich.TaxonomyCentroids;
import io.distillguard.taxonomy.CapabilityTaxonomy;

/**
 * What an operator needs to enrich: a {@link QueryEnricher} over the built-in taxonomy's shipped
 * centroids ({@link TaxonomyCentroids}) and a handle on the JVM-wide shared model that loads it
 * only when a text must be embedded (a stated use that arrived without its vector). Operators open
 * one in {@code open()} and close it in {@code close()}; an operator whose inputs all carry their
 * vectors never loads the model.
 */
public final class EnrichResources implements AutoCloseable {

  private final LazySharedEmbedder embedder;
  private final QueryEnricher enricher;

  private EnrichResources(LazySharedEmbedder embedder, QueryEnricher enricher) {
    this.embedder = embedder;
    this.enricher = enricher;
  }

  /**
   * The built-in taxonomy's enricher, without loading the model.
   *
   * @throws IllegalStateException if the shipped centroids are missing, damaged or stale (computed
   *     for another taxonomy or model): the operator, and so the job, does not start
   */
  public static EnrichResources open(EmbedderSettings settings) {
    TaxonomyCentroids centroids = TaxonomyCentroids.shipped(MiniLmEmbedder.MODEL_ID);
    LazySharedEmbedder lazy = new LazySharedEmbedder(settings);
    return new EnrichResources(lazy, QueryEnricher.create(centroids, lazy));
  }

  /**
   * The enricher of {@code taxonomy}: over the shipped centroids when they were computed for it
   * (the built-in categories word for word), else over centroids embedded now with {@code embedder}
   * (which loads the model).
   */
  public static QueryEnricher enricherFor(CapabilityTaxonomy taxonomy, TextEmbedder embedder) {
    return TaxonomyCentroids.shippedFor(taxonomy, MiniLmEmbedder.MODEL_ID)
        .map(c -> QueryEnricher.create(c, embedder))
        .orElseGet(() -> QueryEnricher.create(taxonomy, embedder));
  }

  /** The enricher of the built-in taxonomy; its {@code statedUse(String)} loads the model. */
  public QueryEnricher enricher() {
    return enricher;
  }

  /** Whether this operator's handle has loaded (acquired) the shared model. */
  public boolean modelAcquired() {
    return embedder.acquired();
  }

  @Override
  public void close() {
    embedder.close();
  }
}
