package io.distillguard.enrich;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.TextEmbedder;
import io.distillguard.observe.AccountObservation;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Derives, from a prompt's embedding and text, everything the detection signals need: the nearest
 * capability category, the similarity to the account's stated use, a taxonomy-free LSH cell and a
 * template fingerprint.
 *
 * <p><b>Categories.</b> Each category of the {@link CapabilityTaxonomy} becomes one centroid: the
 * L2-normalised mean of the embeddings of its description and its examples, computed once in {@link
 * #create}. A prompt's category is the centroid with the highest cosine similarity.
 *
 * <p><b>Stated use.</b> A stated use describes an application ("support bot for our airline"), not
 * a prompt. Its affinity to a category is the mean of its cosine to the centroid and to the
 * category's description alone (descriptions are written in the same register), <em>minus</em> the
 * same affinity of a generic application text ({@value #GENERIC_STATED_USE}). Subtracting that
 * baseline removes what every stated use shares ("it is a chatbot"), which otherwise pulls every
 * account towards chit-chat and assistant categories; what remains is what the stated use says
 * about its domain, and a broad stated use is left with a flat profile. The expected category
 * distribution is a softmax over the affinities with temperature {@value #STATED_USE_TEMPERATURE},
 * mixed with a uniform floor of {@value #STATED_USE_FLOOR} (see the constants for why).
 *
 * <p><b>LSH.</b> {@value #LSH_BITS} random hyperplanes drawn from {@link java.util.Random} with the
 * fixed seed {@link #LSH_SEED}; bit {@code 63 - i} is the sign of the projection on plane {@code
 * i}, so the top bits alone form a coarser cell. {@code java.util.Random} and its Gaussian are
 * specified algorithms and Java floating point is strict, so every JVM, restart and machine derives
 * the same planes and the same signatures. <b>Changing the seed, the bit order or the way planes
 * are drawn invalidates every stored signature and cell</b> (account state, near-duplicate keys).
 *
 * <p>Immutable and thread-safe once created; {@link #statedUse(String)} calls the embedder, which
 * is thread-safe by contract.
 */
public final class QueryEnricher {

  /** Seed of the LSH hyperplanes. Never change it: stored signatures depend on it. */
  public static final long LSH_SEED = 0x4C53_485F_7631_3834L; // "LSH_v184"

  /** Bits in an LSH signature (one per hyperplane). */
  public static final int LSH_BITS = 64;

  /**
   * Softmax temperature for stated-use category shares. With all-MiniLM-L6-v2 the affinities of a
   * stated use (after the generic baseline is subtracted) span only about 0.1-0.4, and the lead of
   * the right category over the rest is 0.05-0.25, so a temperature near 1 would leave every
   * distribution nearly uniform. At 0.06 a lead of 0.15 is a factor e^2.5 ~ 12: measured in {@code
   * TaxonomyQualityIT}, "symptom checker for our clinics" puts 0.89 on medicine, "math homework
   * helper" 0.83 on arithmetic + advanced math, "coding assistant in our IDE" 0.54 on the two code
   * categories, while "general purpose AI assistant" stays spread (normalised entropy 0.93, largest
   * share 0.13). 0.05 starved close runners-up (an airline support bot's travel share fell to
   * 0.01); 0.08 diluted weak stated uses below half their mass.
   */
  public static final float STATED_USE_TEMPERATURE = 0.06f;

  /**
   * Share of the stated-use distribution spread uniformly over all categories. A real account
   * strays now and then (a travel bot gets small talk); the floor keeps every expected share
   * positive so divergence measures such as KL stay finite and one stray prompt is not evidence.
   */
  public static final float STATED_USE_FLOOR = 0.05f;

  /** The baseline stated use: what every stated use says, whatever the domain. */
  public static final String GENERIC_STATED_USE = "An AI assistant chatbot app for our users";

  private final List<String> names;
  private final float[][] centroids;
  private final float[][] descriptions;
  private final float[] baseline;
  private final WideRows centroidsWide;
  private final WideRows planesWide;
  private final TextEmbedder embedder;
  private final String taxonomyVersion;

  private QueryEnricher(
      List<String> names,
      String taxonomyVersion,
      float[][] centroids,
      float[][] descriptions,
      float[] genericStatedUseOrNull,
      TextEmbedder embedder) {
    this.names = List.copyOf(names);
    this.taxonomyVersion = taxonomyVersion;
    this.centroids = centroids;
    this.descriptions = descriptions;
    this.baseline = new float[centroids.length];
    if (genericStatedUseOrNull != null) {
      float[] raw = rawAffinities(Vectors.normalised(checked(genericStatedUseOrNull)));
      System.arraycopy(raw, 0, baseline, 0, raw.length);
    }
    this.embedder = embedder;
    this.centroidsWide = WideRows.of(centroids);
    this.planesWide = WideRows.of(hyperplanes(centroids[0].length));
  }

  /**
   * Embeds every category's description and examples (one batch) into K centroids, and the generic
   * stated use ({@link TaxonomyCentroids#compute}).
   *
   * @throws IllegalArgumentException if the embedder returns vectors of the wrong dimension
   */
  public static QueryEnricher create(CapabilityTaxonomy taxonomy, TextEmbedder embedder) {
    Objects.requireNonNull(embedder, "embedder");
    return create(TaxonomyCentroids.compute(taxonomy, embedder, null), embedder);
  }

  /**
   * An enricher over centroids computed before (the shipped {@link TaxonomyCentroids} of the
   * taxonomy): bit for bit the enricher {@link #create(CapabilityTaxonomy, TextEmbedder)} makes
   * with the model they were computed with, without running it. The embedder is asked only by
   * {@link #statedUse(String)}; it may be {@code null} (stated uses then only from vectors) or one
   * that loads the model on first use.
   *
   * @throws IllegalArgumentException if the embedder's dimension is not the centroids'
   */
  public static QueryEnricher create(TaxonomyCentroids centroids, TextEmbedder embedderOrNull) {
    Objects.requireNonNull(centroids, "centroids");
    if (embedderOrNull != null && embedderOrNull.dimension() != centroids.dimension()) {
      throw new IllegalArgumentException(
          "centroids have "
              + centroids.dimension()
              + " dimensions, embedder "
              + embedderOrNull.dimension());
    }
    return new QueryEnricher(
        centroids.names(),
        centroids.taxonomyVersion(),
        centroids.centroidRows(),
        centroids.descriptionRows(),
        centroids.genericStatedUseRow(),
        embedderOrNull);
  }

  /**
   * An enricher over centroids computed elsewhere (tests, or centroids cached by an operator tool).
   * Centroids are normalised here; all must have the embedder's dimension. Without separate
   * description vectors, stated uses are compared with the centroids alone; the generic baseline is
   * embedded when an embedder is given.
   */
  public static QueryEnricher fromCentroids(
      List<String> names, float[][] centroids, TextEmbedder embedder) {
    if (names.isEmpty() || names.size() != centroids.length) {
      throw new IllegalArgumentException(
          names.size() + " names for " + centroids.length + " centroids");
    }
    int dim = centroids[0].length;
    if (embedder != null && embedder.dimension() != dim) {
      throw new IllegalArgumentException(
          "centroids have " + dim + " dimensions, embedder " + embedder.dimension());
    }
    float[][] copy = new float[centroids.length][];
    for (int k = 0; k < centroids.length; k++) {
      if (centroids[k].length != dim) {
        throw new IllegalArgumentException("centroid " + names.get(k) + " has the wrong dimension");
      }
      copy[k] = Vectors.normalised(centroids[k]);
    }
    return new QueryEnricher(
        names,
        null,
        copy,
        copy,
        embedder == null ? null : embedder.embed(GENERIC_STATED_USE),
        embedder);
  }

  /** Category names in taxonomy order (the order of every per-category array). */
  public List<String> categories() {
    return names;
  }

  /**
   * The version of the taxonomy this enricher was created from ({@link
   * CapabilityTaxonomy#version()}); {@code null} when built from bare centroids.
   */
  public String taxonomyVersion() {
    return taxonomyVersion;
  }

  /** The embedding dimension this enricher expects. */
  public int dimension() {
    return centroids[0].length;
  }

  /** A copy of the centroid of category {@code k}. */
  public float[] centroid(int k) {
    return centroids[k].clone();
  }

  /** Embeds a stated-use text and derives its expected category distribution. */
  public StatedUse statedUse(String statedUseText) {
    Objects.requireNonNull(statedUseText, "statedUseText");
    if (embedder == null) {
      throw new IllegalStateException("this enricher was built without an embedder");
    }
    return statedUse(embedder.embed(statedUseText));
  }

  /** The stated use for an already computed embedding (normalised here). */
  public StatedUse statedUse(float[] statedUseEmbedding) {
    float[] e = Vectors.normalised(checked(statedUseEmbedding));
    return new StatedUse(e, categoryShares(statedUseAffinities(e)));
  }

  /**
   * How close a stated-use embedding is to each category, relative to a generic application text:
   * the mean of its cosine to the centroid and to the description, minus that of {@link
   * #GENERIC_STATED_USE}.
   */
  public float[] statedUseAffinities(float[] statedUseEmbedding) {
    float[] out = rawAffinities(Vectors.normalised(checked(statedUseEmbedding)));
    for (int k = 0; k < out.length; k++) {
      out[k] -= baseline[k];
    }
    return out;
  }

  private float[] rawAffinities(float[] normalisedEmbedding) {
    float[] out = new float[centroids.length];
    for (int k = 0; k < centroids.length; k++) {
      double toCentroid = Vectors.dot(normalisedEmbedding, centroids[k]);
      double toDescription = Vectors.dot(normalisedEmbedding, descriptions[k]);
      out[k] = Vectors.clamp((toCentroid + toDescription) / 2);
    }
    return out;
  }

  /**
   * Enriches one prompt.
   *
   * @param promptEmbedding the prompt's embedding (from the model or from the event); it need not
   *     be normalised
   * @param promptOrNull the prompt text, or {@code null} when the event only carried an embedding
   * @param statedUseOrNull the account's stated use, or {@code null} when no profile is known
   * @throws IllegalArgumentException if the embedding has the wrong dimension
   */
  public Enrichment enrich(
      float[] promptEmbedding, String promptOrNull, StatedUse statedUseOrNull) {
    float[] e = Vectors.normalised(checked(promptEmbedding));
    float[] sims = similarities(e);
    int best = Vectors.argmax(sims);
    float statedUseSimilarity =
        statedUseOrNull == null ? 0f : Vectors.clamp(Vectors.dot(e, statedUseOrNull.embedding()));
    return new Enrichment(
        names.get(best),
        sims[best],
        statedUseSimilarity,
        signature(e),
        TemplateFingerprint.of(promptOrNull),
        taxonomyVersion);
  }

  /** Cosine similarity of an embedding to every centroid, in taxonomy order. */
  public float[] similarities(float[] embedding) {
    double[] dots = centroidsWide.dots(Vectors.normalised(checked(embedding)));
    float[] out = new float[centroids.length];
    for (int k = 0; k < centroids.length; k++) {
      out[k] = Vectors.clamp(dots[k]);
    }
    return out;
  }

  /** The LSH signature of an embedding (its length need not be 1: only signs matter). */
  public long lshSignature(float[] embedding) {
    checkDimension(embedding);
    return signature(embedding);
  }

  private long signature(float[] embedding) {
    long bits = 0L;
    double[] dots = planesWide.dots(embedding);
    for (int p = 0; p < LSH_BITS; p++) {
      if (dots[p] >= 0) {
        bits |= 1L << (LSH_BITS - 1 - p);
      }
    }
    return bits;
  }

  /** The template fingerprint of a prompt (see {@link TemplateFingerprint}); 0 for null. */
  public static long templateFingerprint(String promptOrNull) {
    return TemplateFingerprint.of(promptOrNull);
  }

  /**
   * The expected category distribution from a stated use's affinities: a softmax with {@link
   * #STATED_USE_TEMPERATURE}, mixed with the uniform floor {@link #STATED_USE_FLOOR}; sums to 1.
   */
  public static float[] categoryShares(float[] similarities) {
    int k = similarities.length;
    double max = Double.NEGATIVE_INFINITY;
    for (float s : similarities) {
      max = Math.max(max, s);
    }
    double[] w = new double[k];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      w[i] = Math.exp((similarities[i] - max) / STATED_USE_TEMPERATURE);
      sum += w[i];
    }
    float[] out = new float[k];
    for (int i = 0; i < k; i++) {
      out[i] = (float) ((1 - STATED_USE_FLOOR) * w[i] / sum + STATED_USE_FLOOR / k);
    }
    return out;
  }

  /**
   * The compact observation an account's actor receives for one enriched query.
   *
   * @param profileOrNull the account's latest profile, if known (org id, verification and sign-up
   *     times)
   * @param statedUseOrNull its embedded stated use, if known (expected category shares)
   */
  public static AccountObservation observation(
      QueryEvent event,
      AccountProfile profileOrNull,
      StatedUse statedUseOrNull,
      Enrichment enrichment) {
    QueryEvent.ClientInfo client = event.client();
    return new AccountObservation(
        event.eventId(),
        event.accountId(),
        event.timestamp().toEpochMilli(),
        enrichment.category(),
        enrichment.categorySimilarity(),
        enrichment.statedUseSimilarity(),
        enrichment.lshSignature(),
        enrichment.templateFingerprint(),
        event.prompt() == null ? 0 : event.prompt().length(),
        event.promptTokens(),
        event.completionTokens(),
        event.responseEntropy(),
        event.apiKeyId(),
        client == null ? null : client.ip(),
        client == null ? null : client.userAgent(),
        profileOrNull == null ? null : profileOrNull.orgId(),
        profileOrNull == null || profileOrNull.verifiedAt() == null
            ? null
            : profileOrNull.verifiedAt().toEpochMilli(),
        statedUseOrNull == null ? null : statedUseOrNull.categoryShares(),
        enrichment.taxonomyVersion(),
        null,
        profileOrNull == null || profileOrNull.createdAt() == null
            ? null
            : profileOrNull.createdAt().toEpochMilli());
  }

  // ---- LSH planes, dimension checks ------------------------------------------------------------

  /**
   * The hyperplanes for a dimension: {@link #LSH_BITS} rows of standard Gaussians drawn in
   * row-major order from {@code new Random(LSH_SEED)}. Part of the stored-data format.
   */
  static float[][] hyperplanes(int dimension) {
    Random random = new Random(LSH_SEED);
    float[][] planes = new float[LSH_BITS][dimension];
    for (int p = 0; p < LSH_BITS; p++) {
      for (int d = 0; d < dimension; d++) {
        planes[p][d] = (float) random.nextGaussian();
      }
    }
    return planes;
  }

  /** {@code v}, once its dimension is checked. */
  private float[] checked(float[] v) {
    checkDimension(v);
    return v;
  }

  private void checkDimension(float[] v) {
    if (v == null || v.length != dimension()) {
      throw new IllegalArgumentException(
          "embedding has "
              + (v == null ? "no" : v.length)
              + " dimensions, expected "
              + dimension());
    }
  }
}
