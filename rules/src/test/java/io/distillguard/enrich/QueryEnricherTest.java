package io.distillguard.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.TextEmbedder;
import io.distillguard.observe.AccountObservation;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QueryEnricherTest {

  /** A deterministic embedder over a tiny vocabulary: each known word adds its own axis. */
  static final class AxisEmbedder implements TextEmbedder {
    private final Map<String, Integer> axes;
    private final int dimension;

    AxisEmbedder(Map<String, Integer> axes, int dimension) {
      this.axes = axes;
      this.dimension = dimension;
    }

    @Override
    public int dimension() {
      return dimension;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
      List<float[]> out = new ArrayList<>();
      for (String t : texts) {
        float[] v = new float[dimension];
        v[dimension - 1] = 0.01f; // never the zero vector
        for (String w : t.toLowerCase().split("\\W+")) {
          Integer axis = axes.get(w);
          if (axis != null) {
            v[axis] += 1f;
          }
        }
        double n = 0;
        for (float x : v) {
          n += x * x;
        }
        for (int i = 0; i < v.length; i++) {
          v[i] /= (float) Math.sqrt(n);
        }
        out.add(v);
      }
      return out;
    }
  }

  private static final AxisEmbedder EMBEDDER =
      new AxisEmbedder(
          Map.of("math", 0, "sum", 0, "code", 1, "python", 1, "flight", 2, "hotel", 2), 4);

  private static final CapabilityTaxonomy TAXONOMY =
      CapabilityTaxonomy.of(
          List.of(
              new CapabilityTaxonomy.Category("math", "math", List.of("sum math", "math")),
              new CapabilityTaxonomy.Category("code", "code", List.of("python code")),
              new CapabilityTaxonomy.Category("travel", "flight", List.of("hotel", "flight"))));

  @Test
  void centroidIsTheNormalisedMeanOfDescriptionAndExamples() {
    TextEmbedder e = new AxisEmbedder(Map.of("x", 0, "y", 1), 3);
    CapabilityTaxonomy t =
        CapabilityTaxonomy.of(
            List.of(new CapabilityTaxonomy.Category("c", "x", List.of("x", "y"))));
    QueryEnricher enricher = QueryEnricher.create(t, e);
    float[] x = e.embed("x");
    float[] y = e.embed("y");
    float[] expected = new float[3];
    double n = 0;
    for (int i = 0; i < 3; i++) {
      expected[i] = 2 * x[i] + y[i];
      n += expected[i] * expected[i];
    }
    float[] c = enricher.centroid(0);
    for (int i = 0; i < 3; i++) {
      assertThat(c[i]).isCloseTo((float) (expected[i] / Math.sqrt(n)), within(1e-6f));
    }
  }

  @Test
  void categoryIsTheArgmaxOfCosine() {
    QueryEnricher enricher = QueryEnricher.create(TAXONOMY, EMBEDDER);
    assertThat(enricher.categories()).containsExactly("math", "code", "travel");
    Enrichment e = enricher.enrich(new float[] {0.1f, 0.9f, 0.2f, 0f}, "write python", null);
    assertThat(e.category()).isEqualTo("code");
    float[] sims = enricher.similarities(new float[] {0.1f, 0.9f, 0.2f, 0f});
    assertThat(e.categorySimilarity()).isEqualTo(sims[1]);
    assertThat(sims[1]).isGreaterThan(sims[0]).isGreaterThan(0.9f);
    // scale does not matter: embeddings from events need not be normalised
    assertThat(enricher.enrich(new float[] {0f, 0f, 50f, 0f}, null, null).category())
        .isEqualTo("travel");
    assertThat(enricher.enrich(new float[] {0f, 0f, 50f, 0f}, null, null).categorySimilarity())
        .isCloseTo(1f, within(1e-3f));
  }

  @Test
  void statedUseSharesAreASoftmaxThatConcentratesOnTheNearestCategory() {
    QueryEnricher enricher = QueryEnricher.create(TAXONOMY, EMBEDDER);
    StatedUse travel = enricher.statedUse("flight and hotel booking");
    assertThat(sum(travel.categoryShares())).isCloseTo(1f, within(1e-5f));
    assertThat(travel.categoryShares()[2]).isGreaterThan(0.9f);
    // the floor keeps every share positive
    for (float s : travel.categoryShares()) {
      assertThat(s).isGreaterThanOrEqualTo(QueryEnricher.STATED_USE_FLOOR / 3 - 1e-6f);
    }
    // a stated use equally near to everything spreads evenly
    StatedUse broad = enricher.statedUse("math code flight");
    for (float s : broad.categoryShares()) {
      assertThat(s).isCloseTo(1f / 3, within(0.02f));
    }
    // exact softmax with temperature T, then the uniform floor
    float[] sims = {0.30f, 0.25f, 0.10f};
    float[] shares = QueryEnricher.categoryShares(sims);
    double t = QueryEnricher.STATED_USE_TEMPERATURE;
    double z = Math.exp(0.30 / t) + Math.exp(0.25 / t) + Math.exp(0.10 / t);
    for (int i = 0; i < 3; i++) {
      double expected =
          (1 - QueryEnricher.STATED_USE_FLOOR) * Math.exp(sims[i] / t) / z
              + QueryEnricher.STATED_USE_FLOOR / 3;
      assertThat((double) shares[i]).isCloseTo(expected, within(1e-5));
    }
  }

  @Test
  void statedUseAffinitiesAreRelativeToTheGenericBaseline() {
    QueryEnricher enricher = QueryEnricher.create(TAXONOMY, EMBEDDER);
    // the generic application text itself has no preference at all: a flat profile
    float[] generic =
        enricher.statedUseAffinities(EMBEDDER.embed(QueryEnricher.GENERIC_STATED_USE));
    for (float a : generic) {
      assertThat(a).isCloseTo(0f, within(1e-6f));
    }
    StatedUse flat = enricher.statedUse(QueryEnricher.GENERIC_STATED_USE);
    for (float s : flat.categoryShares()) {
      assertThat(s).isCloseTo(1f / 3, within(1e-5f));
    }
    // affinity = mean of cosine to centroid and to description, minus the baseline's
    float[] travel = EMBEDDER.embed("flight");
    float[] sims = enricher.similarities(travel);
    float[] aff = enricher.statedUseAffinities(travel);
    assertThat(aff[2]).isGreaterThan(aff[0]).isGreaterThan(0.5f).isLessThanOrEqualTo(sims[2]);
  }

  @Test
  void statedUseSimilarityIsTheCosineOrZeroWhenUnknown() {
    QueryEnricher enricher = QueryEnricher.create(TAXONOMY, EMBEDDER);
    StatedUse travel = enricher.statedUse("flight");
    float[] prompt = EMBEDDER.embed("hotel");
    assertThat(enricher.enrich(prompt, "hotel", travel).statedUseSimilarity())
        .isCloseTo(1f, within(1e-3f));
    float[] mathPrompt = EMBEDDER.embed("math");
    assertThat(enricher.enrich(mathPrompt, "math", travel).statedUseSimilarity())
        .isCloseTo(0f, within(1e-3f));
    assertThat(enricher.enrich(mathPrompt, "math", null).statedUseSimilarity()).isZero();
  }

  @Test
  void lshIsLocalitySensitive() {
    int dim = 384;
    QueryEnricher enricher =
        QueryEnricher.fromCentroids(List.of("only"), new float[][] {unit(dim, 0)}, null);
    Random random = new Random(1);
    int nearDiff = 0;
    int farDiff = 0;
    int trials = 200;
    for (int i = 0; i < trials; i++) {
      float[] a = gaussian(random, dim);
      float[] near = a.clone();
      for (int d = 0; d < dim; d++) {
        near[d] += 0.1f * (float) random.nextGaussian(); // cosine ~0.995
      }
      float[] far = gaussian(random, dim); // cosine ~0
      nearDiff += Long.bitCount(enricher.lshSignature(a) ^ enricher.lshSignature(near));
      farDiff += Long.bitCount(enricher.lshSignature(a) ^ enricher.lshSignature(far));
      // only the direction matters
      float[] scaled = a.clone();
      for (int d = 0; d < dim; d++) {
        scaled[d] *= 7.5f;
      }
      assertThat(enricher.lshSignature(scaled)).isEqualTo(enricher.lshSignature(a));
    }
    // expected differing bits: 64 * angle / pi -> ~2 for near, 32 for unrelated vectors
    double near = nearDiff / (double) trials;
    double far = farDiff / (double) trials;
    assertThat(near).isLessThan(4.0);
    assertThat(far).isBetween(28.0, 36.0);
  }

  @Test
  void lshSignaturesAreStableAcrossInstancesAndReleases() {
    int dim = 384;
    QueryEnricher one =
        QueryEnricher.fromCentroids(List.of("c"), new float[][] {unit(dim, 3)}, null);
    QueryEnricher two =
        QueryEnricher.fromCentroids(List.of("c"), new float[][] {unit(dim, 9)}, null);
    float[] v = gaussian(new Random(42), dim);
    assertThat(one.lshSignature(v)).isEqualTo(two.lshSignature(v));
    // Pinned: if this changes, every stored signature and cell in the field is invalidated.
    assertThat(QueryEnricher.hyperplanes(dim)[0][0]).isEqualTo(0.9032734f);
    assertThat(QueryEnricher.LSH_SEED).isEqualTo(0x4C53_485F_7631_3834L);
    float[] ramp = new float[dim];
    for (int d = 0; d < dim; d++) {
      ramp[d] = (float) Math.sin(d * 0.37);
    }
    assertThat(Long.toHexString(one.lshSignature(ramp))).isEqualTo(PINNED_RAMP_SIGNATURE);
  }

  /**
   * The enrichment of a prompt vector is bit for bit what the plain arithmetic gives: each vector
   * normalised in double precision through a double copy, each dot product summed in order from
   * floats, the category read from the twice-normalised prompt, the LSH bits from the
   * once-normalised one. Stored categories, similarities and signatures must not move with how they
   * are computed.
   */
  @Test
  void enrichmentIsBitForBitThePlainArithmetic() {
    Random random = new Random(11);
    int dim = 384;
    List<String> names = new ArrayList<>();
    float[][] centroids = new float[26][];
    for (int k = 0; k < centroids.length; k++) {
      names.add("c" + k);
      centroids[k] = gaussian(random, dim);
    }
    QueryEnricher enricher = QueryEnricher.fromCentroids(names, centroids, null);
    float[][] planes = QueryEnricher.hyperplanes(dim);
    for (int n = 0; n < 2_000; n++) {
      float[] prompt = gaussian(random, dim);
      float scale = (float) Math.exp(random.nextGaussian() * 3);
      for (int i = 0; i < dim; i++) {
        prompt[i] *= scale;
      }
      float[] statedUse = plainNormalised(gaussian(random, dim));
      StatedUse su = new StatedUse(statedUse, new float[centroids.length]);

      Enrichment got = enricher.enrich(prompt, null, su);

      float[] e = plainNormalised(prompt);
      float[] e2 = plainNormalised(e);
      int best = 0;
      float[] sims = new float[centroids.length];
      for (int k = 0; k < centroids.length; k++) {
        sims[k] = plainClamp(plainDot(e2, enricher.centroid(k)));
        if (sims[k] > sims[best]) {
          best = k;
        }
      }
      long bits = 0L;
      for (int p = 0; p < planes.length; p++) {
        if (plainDot(e, planes[p]) >= 0) {
          bits |= 1L << (planes.length - 1 - p);
        }
      }
      assertThat(got.category()).isEqualTo(names.get(best));
      assertThat(Float.floatToRawIntBits(got.categorySimilarity()))
          .isEqualTo(Float.floatToRawIntBits(sims[best]));
      assertThat(Float.floatToRawIntBits(got.statedUseSimilarity()))
          .isEqualTo(Float.floatToRawIntBits(plainClamp(plainDot(e, statedUse))));
      assertThat(got.lshSignature()).isEqualTo(bits);
      float[] all = enricher.similarities(prompt);
      for (int k = 0; k < all.length; k++) {
        assertThat(Float.floatToRawIntBits(all[k]))
            .isEqualTo(Float.floatToRawIntBits(plainClamp(plainDot(e, enricher.centroid(k)))));
      }
    }
  }

  private static float[] plainNormalised(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    double n = 0;
    for (double x : d) {
      n += x * x;
    }
    n = Math.sqrt(n);
    float[] out = new float[v.length];
    if (n > 0 && Double.isFinite(n)) {
      for (int i = 0; i < v.length; i++) {
        out[i] = (float) (d[i] / n);
      }
    }
    return out;
  }

  private static double plainDot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  private static float plainClamp(double cosine) {
    return (float) Math.max(-1.0, Math.min(1.0, cosine));
  }

  static final String PINNED_RAMP_SIGNATURE = "4475c4f8de8ebe2b";

  @Test
  void wrongDimensionIsRefused() {
    QueryEnricher enricher = QueryEnricher.create(TAXONOMY, EMBEDDER);
    assertThatThrownBy(() -> enricher.enrich(new float[3], null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("embedding has 3 dimensions, expected 4");
    assertThatThrownBy(
            () -> QueryEnricher.fromCentroids(List.of("a"), new float[][] {new float[5]}, EMBEDDER))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void observationCarriesEventProfileAndEnrichment() {
    QueryEnricher enricher = QueryEnricher.create(TAXONOMY, EMBEDDER);
    QueryEvent event =
        new QueryEvent(
            "e-1",
            "acct-1",
            Instant.parse("2026-10-05T00:00:19.291Z"),
            "book a flight",
            null,
            "key-1",
            "model-x",
            5,
            9,
            1.5,
            new QueryEvent.ClientInfo("10.0.0.1", "ua/1"));
    AccountProfile profile =
        new AccountProfile(
            "acct-1",
            "flight booking",
            "org-1",
            "pro",
            null,
            Instant.parse("2026-10-01T00:00:00Z"));
    StatedUse statedUse = enricher.statedUse(profile.statedUse());
    Enrichment en = enricher.enrich(EMBEDDER.embed(event.prompt()), event.prompt(), statedUse);
    AccountObservation o = QueryEnricher.observation(event, profile, statedUse, en);
    assertThat(o.eventId()).isEqualTo("e-1");
    assertThat(o.accountId()).isEqualTo("acct-1");
    assertThat(o.eventTimeMillis()).isEqualTo(event.timestamp().toEpochMilli());
    assertThat(o.category()).isEqualTo("travel");
    assertThat(o.categorySimilarity()).isEqualTo(en.categorySimilarity());
    assertThat(o.statedUseSimilarity()).isEqualTo(en.statedUseSimilarity());
    assertThat(o.lshSignature()).isEqualTo(en.lshSignature());
    assertThat(o.templateFingerprint()).isEqualTo(en.templateFingerprint()).isNotZero();
    assertThat(o.promptChars()).isEqualTo(13);
    assertThat(o.promptTokens()).isEqualTo(5);
    assertThat(o.completionTokens()).isEqualTo(9);
    assertThat(o.responseEntropy()).isEqualTo(1.5);
    assertThat(o.apiKeyId()).isEqualTo("key-1");
    assertThat(o.clientIp()).isEqualTo("10.0.0.1");
    assertThat(o.userAgent()).isEqualTo("ua/1");
    assertThat(o.orgId()).isEqualTo("org-1");
    assertThat(o.verifiedAtMillis()).isEqualTo(profile.verifiedAt().toEpochMilli());
    assertThat(o.statedUseCategoryShares()).isSameAs(statedUse.categoryShares());
    assertThat(o.taxonomyVersion())
        .as("the observation says which taxonomy its category comes from")
        .isEqualTo(en.taxonomyVersion())
        .isEqualTo(enricher.taxonomyVersion())
        .isEqualTo(TAXONOMY.version());

    QueryEvent bare =
        new QueryEvent(
            "e-2",
            "acct-2",
            event.timestamp(),
            null,
            new float[4],
            null,
            null,
            null,
            null,
            null,
            null);
    Enrichment en2 = enricher.enrich(new float[] {1, 0, 0, 0}, null, null);
    AccountObservation o2 = QueryEnricher.observation(bare, null, null, en2);
    assertThat(o2.promptChars()).isZero();
    assertThat(o2.templateFingerprint()).isZero();
    assertThat(o2.clientIp()).isNull();
    assertThat(o2.orgId()).isNull();
    assertThat(o2.verifiedAtMillis()).isNull();
    assertThat(o2.statedUseCategoryShares()).isNull();
    assertThat(o2.category()).isEqualTo("math");
  }

  private static float sum(float[] v) {
    float s = 0;
    for (float x : v) {
      s += x;
    }
    return s;
  }

  private static float[] unit(int dim, int axis) {
    float[] v = new float[dim];
    v[axis] = 1;
    return v;
  }

  private static float[] gaussian(Random random, int dim) {
    float[] v = new float[dim];
    for (int d = 0; d < dim; d++) {
      v[d] = (float) random.nextGaussian();
    }
    return v;
  }
}
