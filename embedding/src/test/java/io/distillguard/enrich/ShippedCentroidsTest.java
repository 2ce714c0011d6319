package io.distillguard.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.MiniLmEmbedder;
import io.distillguard.fixtures.PromptSamples;
import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The taxonomy centroids shipped in {@code rules} ({@link TaxonomyCentroids#DEFAULT_RESOURCE}) are
 * what the real model computes from the built-in taxonomy now, so a process that uses them without
 * loading the model stores the same categories, similarities and LSH bits as one that embeds the
 * taxonomy itself.
 *
 * <p>Bit for bit on a machine whose CPU runs the model's int8 kernels as the one the file was
 * computed on; ONNX Runtime picks its int8 matrix kernels by instruction set, and they round
 * differently (measured on an AVX2 machine without AVX-512 against the shipped file: 10,947 of
 * 20,352 values differ, by up to 0.0037, a cosine of 0.99973 at worst; the generic stated use alone
 * came out the same there). So every vector must lie within a cosine of {@value #MIN_COSINE} of
 * this machine's, the enrichment of real prompts must agree as far as such kernels allow, and where
 * this machine computes the file bit for bit, an enricher from it must enrich bit for bit as one
 * that embeds the taxonomy. Every process of one deployment reads the same shipped file, so
 * categories never depend on which node computed the centroids.
 *
 * <p>Also the generator: every run writes the freshly computed file to {@code
 * target/capabilities.centroids.json}; after an edit of {@code capabilities.yaml} or a model
 * upgrade, copy it over {@code rules/src/main/resources/taxonomy/capabilities.centroids.json}.
 */
class ShippedCentroidsTest {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ShippedCentroidsTest.class);

  static final Path GENERATED = Path.of("target", "capabilities.centroids.json");

  /** The least cosine between a shipped vector and this machine's, on other int8 kernels. */
  static final double MIN_COSINE = 0.999;

  /**
   * Of the real prompts, at least this share gets the same category from the shipped centroids as
   * from this machine's, on other int8 kernels (a prompt whose two nearest centroids are within the
   * kernels' difference of each other may go either way).
   */
  static final double MIN_SAME_CATEGORY = 0.9;

  private static MiniLmEmbedder model;
  private static TaxonomyCentroids computed;

  @BeforeAll
  static void computeFromTheModel() throws IOException {
    model = MiniLmEmbedder.create(MiniLmEmbedder.REFERENCE_SETTINGS);
    computed =
        TaxonomyCentroids.compute(CapabilityTaxonomy.loadDefault(), model, MiniLmEmbedder.MODEL_ID);
    Files.createDirectories(GENERATED.getParent());
    Files.writeString(GENERATED, computed.toJson(), StandardCharsets.UTF_8);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void shippedCentroidsAreWhatTheModelComputes() {
    TaxonomyCentroids shipped = TaxonomyCentroids.shipped(MiniLmEmbedder.MODEL_ID);
    assertThat(shipped.model()).isEqualTo(MiniLmEmbedder.MODEL_ID);
    assertThat(shipped.taxonomyVersion()).isEqualTo(CapabilityTaxonomy.loadDefault().version());
    assertThat(shipped.names()).isEqualTo(computed.names());
    assertThat(shipped.minCosine(computed))
        .as(
            "the shipped centroids are further from the model's than its kernels explain: after an"
                + " edit of the taxonomy or a model upgrade, copy %s to rules/src/main/resources/%s",
            GENERATED.toAbsolutePath(), TaxonomyCentroids.DEFAULT_RESOURCE)
        .isGreaterThanOrEqualTo(MIN_COSINE);
  }

  @Test
  void theJobsDefaultSettingsComputeTheSameVectors() {
    // The default runs one text per call too (threads differ): the same bits.
    try (MiniLmEmbedder defaults = MiniLmEmbedder.create(EmbedderSettings.DEFAULT.withThreads(2))) {
      TaxonomyCentroids again =
          TaxonomyCentroids.compute(
              CapabilityTaxonomy.loadDefault(), defaults, MiniLmEmbedder.MODEL_ID);
      assertThat(again.sameVectors(computed)).isTrue();
    }
  }

  @Test
  void anEnricherFromTheShippedFileEnrichesRealPromptsAsOneThatEmbedsTheTaxonomy() {
    TaxonomyCentroids shippedCentroids = TaxonomyCentroids.shipped(MiniLmEmbedder.MODEL_ID);
    QueryEnricher embedding = QueryEnricher.create(CapabilityTaxonomy.loadDefault(), model);
    QueryEnricher shipped = QueryEnricher.create(shippedCentroids, null);
    List<String> prompts = new ArrayList<>();
    for (String dataset : List.of("gsm8k", "banking77", "mbpp", "medquad", "clinc150")) {
      prompts.addAll(PromptSamples.texts(dataset, 12));
    }
    List<float[]> vectors = model.embedAll(prompts);
    float[] statedUseVector = model.embed("customer support chatbot for a retail bank");
    StatedUse fromModel = embedding.statedUse(statedUseVector);
    StatedUse fromShipped = shipped.statedUse(statedUseVector);
    assertThat(shipped.taxonomyVersion()).isEqualTo(embedding.taxonomyVersion());
    assertThat(argmax(fromShipped.categoryShares())).isEqualTo(argmax(fromModel.categoryShares()));
    int same = 0;
    for (int i = 0; i < prompts.size(); i++) {
      Enrichment a = embedding.enrich(vectors.get(i), prompts.get(i), fromModel);
      Enrichment b = shipped.enrich(vectors.get(i), prompts.get(i), fromShipped);
      assertThat(b.lshSignature()).as("prompt %d", i).isEqualTo(a.lshSignature());
      if (a.category().equals(b.category())) {
        same++;
      }
    }
    LOG.info("{} of {} prompts take the same category", same, prompts.size());
    assertThat((double) same / prompts.size()).isGreaterThanOrEqualTo(MIN_SAME_CATEGORY);
    if (shippedCentroids.sameVectors(computed)) {
      assertThat(bits(fromShipped.categoryShares())).isEqualTo(bits(fromModel.categoryShares()));
      assertThat(bits(fromShipped.embedding())).isEqualTo(bits(fromModel.embedding()));
      for (int i = 0; i < prompts.size(); i++) {
        Enrichment a = embedding.enrich(vectors.get(i), prompts.get(i), fromModel);
        Enrichment b = shipped.enrich(vectors.get(i), prompts.get(i), fromShipped);
        assertThat(b).as("prompt %d", i).isEqualTo(a);
        assertThat(bits(shipped.similarities(vectors.get(i))))
            .isEqualTo(bits(embedding.similarities(vectors.get(i))));
      }
    }
  }

  private static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private static List<Integer> bits(float[] v) {
    List<Integer> out = new ArrayList<>(v.length);
    for (float f : v) {
      out.add(Float.floatToRawIntBits(f));
    }
    return out;
  }
}
