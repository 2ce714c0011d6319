package io.distillguard.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillguard.taxonomy.CapabilityTaxonomy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Centroids computed once and read back give the enricher the model would give, and a wrong or
 * stale file is refused with a reason, never used. (That the shipped file is what the real model
 * computes is checked by the embedding module's {@code ShippedCentroidsTest}.)
 */
class TaxonomyCentroidsTest {

  private static final QueryEnricherTest.AxisEmbedder EMBEDDER =
      new QueryEnricherTest.AxisEmbedder(
          Map.of("math", 0, "sum", 0, "code", 1, "python", 1, "chatbot", 2, "app", 3), 5);

  private static final CapabilityTaxonomy TAXONOMY =
      CapabilityTaxonomy.of(
          List.of(
              new CapabilityTaxonomy.Category("math", "math", List.of("sum math", "math")),
              new CapabilityTaxonomy.Category("code", "code", List.of("python code"))));

  @Test
  void anEnricherFromWrittenAndReadCentroidsEnrichesExactlyLikeOneThatEmbeds() throws IOException {
    TaxonomyCentroids computed = TaxonomyCentroids.compute(TAXONOMY, EMBEDDER, "axis-model");
    TaxonomyCentroids read = TaxonomyCentroids.read(stream(computed.toJson()));
    assertThat(read.sameVectors(computed)).isTrue();
    assertThat(read.model()).isEqualTo("axis-model");
    assertThat(read.taxonomyVersion()).isEqualTo(TAXONOMY.version());

    QueryEnricher embedding = QueryEnricher.create(TAXONOMY, EMBEDDER);
    QueryEnricher fromFile = QueryEnricher.create(read, null);
    StatedUse useA = embedding.statedUse("math app");
    StatedUse useB = fromFile.statedUse(EMBEDDER.embed("math app"));
    assertThat(useB.categoryShares()).containsExactly(useA.categoryShares());
    for (String prompt : List.of("sum", "python code", "chatbot math", "app")) {
      float[] v = EMBEDDER.embed(prompt);
      assertThat(fromFile.enrich(v, prompt, useB)).isEqualTo(embedding.enrich(v, prompt, useA));
    }
    // without an embedder a stated use comes only from its vector
    assertThatThrownBy(() -> fromFile.statedUse("math app"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theShippedFileIsBoundToTheShippedTaxonomyAndItsModel() {
    CapabilityTaxonomy shipped = CapabilityTaxonomy.loadDefault();
    String model = shippedModel();
    assertThat(TaxonomyCentroids.shipped(model).names()).isEqualTo(shipped.names());
    assertThat(TaxonomyCentroids.shippedFor(shipped, model)).isPresent();
    // a taxonomy with one example changed is another taxonomy: its centroids need the model
    List<CapabilityTaxonomy.Category> edited = new ArrayList<>(shipped.categories());
    CapabilityTaxonomy.Category first = edited.get(0);
    List<String> examples = new ArrayList<>(first.examples());
    examples.set(0, examples.get(0) + " Please.");
    edited.set(0, new CapabilityTaxonomy.Category(first.name(), first.description(), examples));
    assertThat(TaxonomyCentroids.shippedFor(CapabilityTaxonomy.of(edited), model)).isEmpty();
    // a build that embeds with another model refuses the file loudly
    assertThatThrownBy(() -> TaxonomyCentroids.shipped("another-model 2.0"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("computed with the model " + model)
        .hasMessageContaining("this build embeds with another-model 2.0")
        .hasMessageContaining("ShippedCentroidsTest");
  }

  @Test
  void aDamagedOrForeignFileIsRefusedWithItsReason() throws IOException {
    String good = TaxonomyCentroids.compute(TAXONOMY, EMBEDDER, "axis-model").toJson();
    // one vector edited by hand: the hash of the vectors no longer matches
    int at = good.indexOf("\"centroid_b64\" : \"") + 18;
    char c = good.charAt(at);
    String edited = good.substring(0, at) + (c == 'A' ? 'B' : 'A') + good.substring(at + 1);
    assertRefused(edited, "vectors_sha256");
    assertRefused(good.replace("distillguard-taxonomy-centroids/1", "other/1"), "not a");
    assertRefused(
        good.replace(QueryEnricher.GENERIC_STATED_USE, "A chatbot"), "generic stated use");
    assertRefused(good.replace("\"dimension\" : 5", "\"dimension\" : 6"), "holds 20 bytes");
  }

  private static void assertRefused(String json, String reason) {
    assertThatThrownBy(() -> TaxonomyCentroids.read(stream(json)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  private static String shippedModel() {
    try (InputStream in =
        TaxonomyCentroids.class
            .getClassLoader()
            .getResourceAsStream(TaxonomyCentroids.DEFAULT_RESOURCE)) {
      return TaxonomyCentroids.read(in).model();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }
}
