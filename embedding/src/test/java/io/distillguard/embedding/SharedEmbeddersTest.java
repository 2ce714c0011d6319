package io.distillguard.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SharedEmbeddersTest {

  @Test
  void handlesShareOneModelUntilTheLastOneCloses() throws Exception {
    EmbedderSettings settings = new EmbedderSettings(1, 64, 4);
    assertThat(SharedEmbedders.references(settings)).isZero();
    long loadsBefore = SharedEmbedders.modelsLoaded();

    BatchingEmbedder first = SharedEmbedders.acquire(settings);
    BatchingEmbedder second = SharedEmbedders.acquire(settings);
    assertThat(SharedEmbedders.references(settings)).isEqualTo(2);
    assertThat(SharedEmbedders.modelsLoaded()).isEqualTo(loadsBefore + 1);

    float[] viaFirst = first.embedAsync("How do I reset my PIN?").join();
    // One engine: counters are shared by the handles.
    assertThat(second.stats().texts()).isEqualTo(1);

    first.close();
    first.close(); // a second close does not release twice
    assertThat(SharedEmbedders.references(settings)).isEqualTo(1);
    assertThatThrownBy(() -> first.embedAsync("x")).isInstanceOf(IllegalStateException.class);
    // The other handle still works on the same model.
    assertThat(second.embedAsync("How do I reset my PIN?").join()).containsExactly(viaFirst);

    second.close();
    assertThat(SharedEmbedders.references(settings)).isZero();

    // After the last release a new acquire loads a fresh model.
    try (BatchingEmbedder again = SharedEmbedders.acquire(settings)) {
      assertThat(again.stats().texts()).isZero();
      assertThat(again.embedAsync("How do I reset my PIN?").join()).containsExactly(viaFirst);
    }
    assertThat(SharedEmbedders.references(settings)).isZero();
  }

  @Test
  void concurrentFirstAcquiresLoadTheModelOnce() throws Exception {
    EmbedderSettings settings = new EmbedderSettings(1, 32, 2);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<BatchingEmbedder> handles = new ArrayList<>();
    try {
      List<Future<BatchingEmbedder>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        futures.add(
            pool.submit((Callable<BatchingEmbedder>) () -> SharedEmbedders.acquire(settings)));
      }
      for (Future<BatchingEmbedder> f : futures) {
        handles.add(f.get());
      }
      assertThat(SharedEmbedders.references(settings)).isEqualTo(4);
      handles.get(0).embedAsync("one").join();
      for (BatchingEmbedder handle : handles) {
        assertThat(handle.stats().texts()).isEqualTo(1);
      }
    } finally {
      handles.forEach(BatchingEmbedder::close);
      pool.shutdownNow();
    }
    assertThat(SharedEmbedders.references(settings)).isZero();
    assertThatThrownBy(() -> SharedEmbedders.acquire(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
