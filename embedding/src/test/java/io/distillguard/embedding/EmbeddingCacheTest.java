package io.distillguard.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddingCacheTest {

  private static MiniLmEmbedder fresh;

  @BeforeAll
  static void loadModel() {
    fresh = MiniLmEmbedder.create(new EmbedderSettings(1, 128, 1, 0));
  }

  @AfterAll
  static void closeModel() {
    fresh.close();
  }

  @Test
  void aCachedVectorIsBitIdenticalToAFreshEmbedOfTheSameText() {
    List<String> prompts = RealPrompts.mixed(4);
    EmbedderSettings settings = new EmbedderSettings(1, 128, 1, 1_000);
    try (BatchingEmbedder cached = SharedEmbedders.acquire(settings)) {
      Map<String, float[]> firstSeen = new HashMap<>();
      for (String p : prompts) {
        EmbeddingCache.Lookup first = cached.lookup(p);
        assertThat(first.hit()).isFalse();
        firstSeen.put(p, first.vector().join());
      }
      // Other texts in between must not change what a repeat returns.
      for (String p : prompts) {
        EmbeddingCache.Lookup again = cached.lookup(p);
        assertThat(again.hit()).as("repeat of %s", p).isTrue();
        float[] vector = again.vector().join();
        float[] reference = fresh.embed(p);
        assertThat(floatBits(vector))
            .as("cached vs fresh for %s", p)
            .isEqualTo(floatBits(reference));
        assertThat(floatBits(vector)).isEqualTo(floatBits(firstSeen.get(p)));
      }
    }
  }

  @Test
  void distinctTextsNeverShareAnEntry() {
    String longPrompt = RealPrompts.first("gsm8k", 1).get(0).repeat(20);
    List<String> texts =
        List.of(
            "How do I reset my PIN?",
            "How do I reset my PIN? ",
            " How do I reset my PIN?",
            "how do I reset my PIN?",
            "How do I reset my PIN?\n",
            "How do I reset my PIN\u00a0?",
            "caf\u00e9",
            "cafe\u0301", // the same word, decomposed: a different text
            "a\uD800", // an unpaired surrogate ...
            "a?", // ... which UTF-8 would encode like this
            longPrompt,
            longPrompt + " Answer in French.", // same first 128 tokens, different text
            "");
    assertThat(new LinkedHashSet<>(texts)).hasSize(texts.size());
    EmbeddingCache cache = new EmbeddingCache(100);
    AtomicInteger modelCalls = new AtomicInteger();
    Map<String, float[]> returned = new HashMap<>();
    for (String t : texts) {
      EmbeddingCache.Lookup lookup =
          cache.lookup(
              t,
              text -> {
                modelCalls.incrementAndGet();
                return CompletableFuture.completedFuture(tagged(text));
              });
      assertThat(lookup.hit()).as("first lookup of %s", t).isFalse();
      returned.put(t, lookup.vector().join());
    }
    assertThat(cache.size()).isEqualTo(texts.size());
    assertThat(modelCalls).hasValue(texts.size());
    assertThat(cache.misses()).isEqualTo(texts.size());
    assertThat(cache.hits()).isZero();
    for (String t : texts) {
      EmbeddingCache.Lookup again = cache.lookup(t, text -> fail());
      assertThat(again.hit()).isTrue();
      assertThat(again.vector().join()).containsExactly(tagged(t));
    }
    Set<EmbeddingCache.Key> keys = new LinkedHashSet<>();
    texts.forEach(t -> keys.add(EmbeddingCache.Key.of(t)));
    assertThat(keys).hasSize(texts.size());
  }

  @Test
  void keepsTheMostRecentlyUsedTextsWithinItsBound() {
    EmbeddingCache cache = new EmbeddingCache(2);
    AtomicInteger calls = new AtomicInteger();
    java.util.function.Function<String, CompletableFuture<float[]>> model =
        t -> {
          calls.incrementAndGet();
          return CompletableFuture.completedFuture(tagged(t));
        };
    cache.lookup("a", model);
    cache.lookup("b", model);
    assertThat(cache.lookup("a", model).hit()).isTrue(); // a is now the most recent
    cache.lookup("c", model); // evicts b
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.lookup("a", model).hit()).isTrue();
    assertThat(cache.lookup("b", model).hit()).isFalse();
    assertThat(calls).hasValue(4);
  }

  @Test
  void aRepeatWhileTheFirstIsInFlightWaitsForItAndGetsItsOwnCopy() {
    EmbeddingCache cache = new EmbeddingCache(10);
    CompletableFuture<float[]> running = new CompletableFuture<>();
    EmbeddingCache.Lookup first = cache.lookup("x", t -> running);
    EmbeddingCache.Lookup second = cache.lookup("x", t -> fail());
    assertThat(first.hit()).isFalse();
    assertThat(second.hit()).isTrue();
    assertThat(second.vector()).isNotDone();
    running.complete(new float[] {1f, 2f});
    float[] a = first.vector().join();
    float[] b = second.vector().join();
    assertThat(a).containsExactly(1f, 2f);
    assertThat(b).containsExactly(1f, 2f);
    a[0] = 99f; // a caller changing its array does not change the cache
    assertThat(cache.lookup("x", t -> fail()).vector().join()).containsExactly(1f, 2f);
    assertThat(b).containsExactly(1f, 2f);
  }

  @Test
  void aFailedEmbeddingIsNotCached() {
    EmbeddingCache cache = new EmbeddingCache(10);
    EmbeddingCache.Lookup failed =
        cache.lookup("x", t -> CompletableFuture.failedFuture(new IllegalStateException("boom")));
    assertThatThrownBy(() -> failed.vector().join()).isInstanceOf(CompletionException.class);
    assertThat(cache.size()).isZero();
    assertThatThrownBy(() -> cache.lookup("y", t -> fail())).isInstanceOf(AssertionError.class);
    assertThat(cache.size()).isZero();
    EmbeddingCache.Lookup retried =
        cache.lookup("x", t -> CompletableFuture.completedFuture(new float[] {3f}));
    assertThat(retried.hit()).isFalse();
    assertThat(retried.vector().join()).containsExactly(3f);
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new EmbeddingCache(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EmbeddingCache(1).lookup(null, t -> fail()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EmbedderSettings(1, 128, 1, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static CompletableFuture<float[]> fail() {
    throw new AssertionError("the model must not be called for a cached text");
  }

  /** A vector that identifies its text (length and first characters), for the bookkeeping tests. */
  private static float[] tagged(String text) {
    float[] v = new float[4];
    v[0] = text.length();
    v[1] = text.hashCode();
    v[2] = text.isEmpty() ? -1 : text.charAt(text.length() - 1);
    v[3] = text.isEmpty() ? -1 : text.charAt(0);
    return v;
  }

  private static List<Integer> floatBits(float[] v) {
    List<Integer> bits = new ArrayList<>(v.length);
    for (float f : v) {
      bits.add(Float.floatToRawIntBits(f));
    }
    return bits;
  }
}
