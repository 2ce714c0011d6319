package io.distillguard.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The enricher's one-pass products give bit for bit the values of one {@link QueryEnricher#dot} per
 * row, so categories, similarities and LSH signatures are what they were with a dot per row.
 */
class ColumnProductTest {

  private static float[] gaussian(Random random, int dim) {
    float[] v = new float[dim];
    for (int d = 0; d < dim; d++) {
      v[d] = (float) random.nextGaussian();
    }
    return v;
  }

  @Test
  void everyRowIsBitForBitItsDotProduct() {
    Random random = new Random(11);
    for (int rows : new int[] {1, 3, 26, 64, 65}) {
      float[][] m = new float[rows][];
      for (int r = 0; r < rows; r++) {
        m[r] = gaussian(random, 384);
      }
      ColumnProduct product = new ColumnProduct(m);
      double[] buffer = new double[rows];
      for (int trial = 0; trial < 20; trial++) {
        float[] a = gaussian(random, 384);
        if (trial == 0) {
          a[5] = -0.0f;
          a[6] = Float.MIN_VALUE;
          a[7] = 1e30f;
        }
        double[] out = product.times(a, buffer);
        for (int r = 0; r < rows; r++) {
          assertThat(Double.doubleToRawLongBits(out[r]))
              .as("row %d of %d", r, rows)
              .isEqualTo(Double.doubleToRawLongBits(QueryEnricher.dot(a, m[r])));
        }
      }
    }
  }

  @Test
  void enrichmentIsBitForBitTheDotPerRowPath() {
    Random random = new Random(3);
    List<String> names = new ArrayList<>();
    float[][] centroids = new float[26][];
    for (int k = 0; k < centroids.length; k++) {
      names.add("c" + k);
      centroids[k] = gaussian(random, 384);
    }
    QueryEnricher enricher = QueryEnricher.fromCentroids(names, centroids, null);
    float[][] unitCentroids = new float[26][];
    for (int k = 0; k < 26; k++) {
      unitCentroids[k] = enricher.centroid(k);
    }
    float[][] planes = QueryEnricher.hyperplanes(384);
    for (int trial = 0; trial < 200; trial++) {
      float[] v = gaussian(random, 384);
      // What enrich() computed before: one dot per centroid and per plane.
      float[] e = QueryEnricher.normalised(QueryEnricher.toDouble(v));
      float[] twice = QueryEnricher.normalised(QueryEnricher.toDouble(e));
      float[] sims = enricher.similarities(e);
      double[] dots = QueryEnricher.dots(twice, unitCentroids);
      for (int k = 0; k < 26; k++) {
        float expected = (float) Math.max(-1.0, Math.min(1.0, dots[k]));
        assertThat(Float.floatToRawIntBits(sims[k])).isEqualTo(Float.floatToRawIntBits(expected));
      }
      long bits = 0L;
      double[] projections = QueryEnricher.dots(e, planes);
      for (int p = 0; p < QueryEnricher.LSH_BITS; p++) {
        if (projections[p] >= 0) {
          bits |= 1L << (QueryEnricher.LSH_BITS - 1 - p);
        }
      }
      Enrichment enrichment = enricher.enrich(v, "how do I reset my password?", null);
      assertThat(enrichment.lshSignature()).isEqualTo(bits);
      assertThat(enrichment.category()).isEqualTo(names.get(QueryEnricher.argmax(sims)));
      assertThat(Float.floatToRawIntBits(enrichment.categorySimilarity()))
          .isEqualTo(Float.floatToRawIntBits(sims[QueryEnricher.argmax(sims)]));
    }
  }

  @Test
  void aVectorOfAnotherDimensionIsRefused() {
    ColumnProduct product = new ColumnProduct(new float[][] {new float[4], new float[4]});
    assertThatThrownBy(() -> product.times(new float[3], new double[2]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
