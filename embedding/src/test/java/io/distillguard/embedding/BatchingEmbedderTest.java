package io.distillguard.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchingEmbedderTest {

  private static MiniLmEmbedder reference;

  @BeforeAll
  static void load() {
    reference = MiniLmEmbedder.create(new EmbedderSettings(1, 128, 1));
  }

  @AfterAll
  static void close() {
    reference.close();
  }

  @Test
  void concurrentCallersEachGetTheVectorOfTheirOwnText() throws Exception {
    List<String> prompts = RealPrompts.mixed(16);
    List<float[]> alone = new ArrayList<>();
    for (String prompt : prompts) {
      alone.add(reference.embed(prompt));
    }
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try (BatchingEmbedder batching = BatchingEmbedder.create(new EmbedderSettings(2, 128, 16))) {
      List<Future<List<CompletableFuture<float[]>>>> submitted = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        int caller = c;
        submitted.add(
            callers.submit(
                () -> {
                  List<CompletableFuture<float[]>> mine = new ArrayList<>();
                  for (int i = caller; i < prompts.size(); i += 8) {
                    mine.add(batching.embedAsync(prompts.get(i)));
                  }
                  return mine;
                }));
      }
      for (int c = 0; c < 8; c++) {
        List<CompletableFuture<float[]>> mine = submitted.get(c).get(60, TimeUnit.SECONDS);
        for (int k = 0; k < mine.size(); k++) {
          int i = c + 8 * k;
          float[] vector = mine.get(k).get(60, TimeUnit.SECONDS);
          // Same text, same vector up to the per-call activation scaling of the int8 model,
          // which depends on the batch's other texts (cosines seen down to ~0.98): the vector
          // must be nearest to its own text's of all the prompts, so a mix-up cannot pass.
          assertThat(nearest(vector, alone)).as("prompt %d", i).isEqualTo(i);
          assertThat(io.distillguard.enrich.Vectors.cosine(vector, alone.get(i)))
              .as("prompt %d", i)
              .isGreaterThan(0.97);
        }
      }
      BatchingEmbedder.Stats stats = batching.stats();
      assertThat(stats.texts()).isEqualTo(prompts.size());
      assertThat(stats.failedTexts()).isZero();
      assertThat(stats.batches()).isLessThanOrEqualTo(prompts.size());
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void withBatchSizeOneVectorsAreBitIdenticalToTheDirectModel() throws Exception {
    List<String> prompts = RealPrompts.mixed(3);
    try (BatchingEmbedder batching = BatchingEmbedder.create(new EmbedderSettings(2, 128, 1))) {
      List<CompletableFuture<float[]>> futures = new ArrayList<>();
      prompts.forEach(p -> futures.add(batching.embedAsync(p)));
      for (int i = 0; i < prompts.size(); i++) {
        assertThat(futures.get(i).get(60, TimeUnit.SECONDS))
            .containsExactly(reference.embed(prompts.get(i)));
      }
      assertThat(batching.embedAll(prompts)).hasSize(prompts.size());
      assertThat(batching.dimension()).isEqualTo(384);
    }
  }

  @Test
  void aFailingTextFailsOnlyItsOwnFuture() throws Exception {
    String poison = "this text makes the model fail";
    TextEmbedder faulty =
        new TextEmbedder() {
          @Override
          public int dimension() {
            return reference.dimension();
          }

          @Override
          public List<float[]> embedAll(List<String> texts) {
            if (texts.contains(poison)) {
              throw new IllegalStateException("model failure");
            }
            return reference.embedAll(texts);
          }
        };
    List<String> prompts = RealPrompts.first("banking77", 20);
    // One worker and a burst of requests, so the poison shares a batch with good texts.
    try (BatchingEmbedder batching = BatchingEmbedder.over(faulty, 1, 8, 64)) {
      List<CompletableFuture<float[]>> good = new ArrayList<>();
      CompletableFuture<float[]> bad = null;
      for (int i = 0; i < prompts.size(); i++) {
        good.add(batching.embedAsync(prompts.get(i)));
        if (i == 10) {
          bad = batching.embedAsync(poison);
        }
      }
      for (int i = 0; i < prompts.size(); i++) {
        assertThat(good.get(i).get(60, TimeUnit.SECONDS))
            .containsExactly(reference.embed(prompts.get(i)));
      }
      CompletableFuture<float[]> failed = bad;
      assertThatThrownBy(() -> failed.join())
          .isInstanceOf(CompletionException.class)
          .hasRootCauseMessage("model failure");
      assertThat(batching.stats().failedTexts()).isEqualTo(1);
    }
  }

  @Test
  void rejectsNullAndWorkAfterClose() {
    BatchingEmbedder batching = BatchingEmbedder.over(reference(), 1, 4, 8);
    assertThatThrownBy(() -> batching.embedAsync(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> batching.embed(null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(batching.embedAsync("").join()).hasSize(384);
    batching.close();
    batching.close();
    assertThatThrownBy(() -> batching.embedAsync("late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  /** A view of the shared reference model that the batcher may close without closing it. */
  private static TextEmbedder reference() {
    return new TextEmbedder() {
      @Override
      public int dimension() {
        return reference.dimension();
      }

      @Override
      public List<float[]> embedAll(List<String> texts) {
        return reference.embedAll(texts);
      }
    };
  }

  private static int nearest(float[] vector, List<float[]> candidates) {
    int best = -1;
    double bestCosine = -2;
    for (int j = 0; j < candidates.size(); j++) {
      double c = io.distillguard.enrich.Vectors.cosine(vector, candidates.get(j));
      if (c > bestCosine) {
        bestCosine = c;
        best = j;
      }
    }
    return best;
  }
}
