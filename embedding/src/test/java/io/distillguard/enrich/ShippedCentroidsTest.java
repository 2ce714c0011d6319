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
 * bit for bit what the real model computes from the built-in taxonomy now, so a process that uses
 * them without loading the model stores the same categories, similarities and LSH bits as one that
 * embeds the taxonomy itself.
 *
 * <p>Also the generator: every run writes the freshly computed file to {@code
 * target/capabilities.centroids.json}; after an edit of {@code capabilities.yaml} or a model
 * upgrade, copy it over {@code rules/src/main/resources/taxonomy/capabilities.centroids.json}.
 */
class ShippedCentroidsTest {

  static final Path GENERATED = Path.of("target", "capabilities.centroids.json");

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
  void shippedCentroidsAreBitForBitWhatTheModelComputes() {
    TaxonomyCentroids shipped = TaxonomyCentroids.shipped(MiniLmEmbedder.MODEL_ID);
    assertThat(shipped.sameVectors(computed))
        .as(
            "the shipped centroids differ from the model's: copy %s to"
                + " rules/src/main/resources/%s",
            GENERATED.toAbsolutePath(), TaxonomyCentroids.DEFAULT_RESOURCE)
        .isTrue();
    assertThat(shipped.model()).isEqualTo(MiniLmEmbedder.MODEL_ID);
    assertThat(shipped.taxonomyVersion()).isEqualTo(CapabilityTaxonomy.loadDefault().version());
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
  void anEnricherFromTheShippedFileEnrichesRealPromptsExactlyAsOneThatEmbedsTheTaxonomy() {
    QueryEnricher embedding = QueryEnricher.create(CapabilityTaxonomy.loadDefault(), model);
    QueryEnricher shipped =
        QueryEnricher.create(TaxonomyCentroids.shipped(MiniLmEmbedder.MODEL_ID), null);
    List<String> prompts = new ArrayList<>();
    for (String dataset : List.of("gsm8k", "banking77", "mbpp", "medquad", "clinc150")) {
      prompts.addAll(PromptSamples.texts(dataset, 12));
    }
    List<float[]> vectors = model.embedAll(prompts);
    float[] statedUseVector = model.embed("customer support chatbot for a retail bank");
    StatedUse fromModel = embedding.statedUse(statedUseVector);
    StatedUse fromShipped = shipped.statedUse(statedUseVector);
    assertThat(bits(fromShipped.categoryShares())).isEqualTo(bits(fromModel.categoryShares()));
    assertThat(bits(fromShipped.embedding())).isEqualTo(bits(fromModel.embedding()));
    assertThat(shipped.taxonomyVersion()).isEqualTo(embedding.taxonomyVersion());
    for (int i = 0; i < prompts.size(); i++) {
      Enrichment a = embedding.enrich(vectors.get(i), prompts.get(i), fromModel);
      Enrichment b = shipped.enrich(vectors.get(i), prompts.get(i), fromShipped);
      assertThat(b).as("prompt %d", i).isEqualTo(a);
      assertThat(bits(shipped.similarities(vectors.get(i))))
          .isEqualTo(bits(embedding.similarities(vectors.get(i))));
    }
  }

  private static List<Integer> bits(float[] v) {
    List<Integer> out = new ArrayList<>(v.length);
    for (float f : v) {
      out.add(Float.floatToRawIntBits(f));
    }
    return out;
  }
}
