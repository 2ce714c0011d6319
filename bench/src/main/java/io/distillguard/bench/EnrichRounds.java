package io.distillguard.bench;

import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.enrich.Enrichment;
import io.distillguard.enrich.QueryEnricher;
import io.distillguard.enrich.StatedUse;
import io.distillguard.enrich.TaxonomyCentroids;
import java.util.SplittableRandom;

/**
 * The ingest job's enrichment as {@link RulesBuildComparison} times it in each build of the rules
 * ({@code -Dbench.workload=enrich}): {@code QueryEnricher.enrich} over the shipped taxonomy's
 * centroids (as a replay of precomputed embeddings runs it, no model), of prompt vectors that are
 * not unit length, each with a short prompt text and its account's stated use. Entered by
 * reflection from another class loader, hence static and typed with JDK types only.
 */
public final class EnrichRounds {

  private static final int DIMENSION = 384;

  private static QueryEnricher enricher;
  private static float[][] prompts;
  private static String[] texts;
  private static StatedUse[] statedUses;
  private static int observations;
  // Folded into what a round returns, so the JIT cannot drop the work.
  private static long sink;

  private EnrichRounds() {}

  /**
   * {@code accounts} stated uses and distinct prompts; {@code observations} enrichments a round.
   */
  public static void setup(int accounts, int observations) {
    enricher = QueryEnricher.create(TaxonomyCentroids.shipped(MiniLmEmbedder.MODEL_ID), null);
    SplittableRandom random = new SplittableRandom(42);
    int distinct = 4_096;
    prompts = new float[distinct][];
    texts = new String[distinct];
    for (int p = 0; p < distinct; p++) {
      prompts[p] = gaussian(random);
      texts[p] = "Question " + p + ": how would you explain topic " + (p * 31 % 997) + "?";
    }
    statedUses = new StatedUse[accounts];
    for (int a = 0; a < accounts; a++) {
      statedUses[a] = enricher.statedUse(gaussian(random));
    }
    EnrichRounds.observations = observations;
  }

  /** One round: the nanoseconds it took, and the prompts it enriched. */
  public static long[] round() {
    long start = System.nanoTime();
    long folded = 0;
    for (int i = 0; i < observations; i++) {
      int p = i % prompts.length;
      Enrichment e = enricher.enrich(prompts[p], texts[p], statedUses[i % statedUses.length]);
      folded += e.lshSignature() + Float.floatToRawIntBits(e.categorySimilarity());
    }
    long took = System.nanoTime() - start;
    sink += folded;
    return new long[] {took, observations};
  }

  private static float[] gaussian(SplittableRandom random) {
    float[] v = new float[DIMENSION];
    for (int d = 0; d < DIMENSION; d++) {
      // Marsaglia's polar method: SplittableRandom has no nextGaussian on Java 17.
      double u;
      double w;
      double s;
      do {
        u = random.nextDouble(-1, 1);
        w = random.nextDouble(-1, 1);
        s = u * u + w * w;
      } while (s >= 1 || s == 0);
      v[d] = (float) (3 * u * Math.sqrt(-2 * Math.log(s) / s));
    }
    return v;
  }
}
