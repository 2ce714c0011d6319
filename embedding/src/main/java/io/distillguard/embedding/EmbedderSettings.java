package io.distillguard.embedding;

/**
 * How a {@link MiniLmEmbedder} (and the {@link BatchingEmbedder} over it) runs.
 *
 * @param threads number of ONNX Runtime sessions, each single-threaded (one intra-op thread). A
 *     {@link BatchingEmbedder} runs one worker thread per session. More sessions than cores only
 *     adds memory (~30 MB native each) and contention.
 * @param maxTokens the longest token sequence fed to the model, counting the {@code [CLS]} and
 *     {@code [SEP]} markers; longer texts are truncated at the end. Between 3 and 512 (the model's
 *     position-embedding limit). Attention cost grows with the square of the length, so the cap
 *     bounds the cost of a single long prompt. 128 is what all-MiniLM-L6-v2 was trained with and
 *     what the tokenizer shipped with the model truncates to; the tail of a longer prompt then does
 *     not move its vector, which is acceptable for capability categorisation (the opening of a
 *     prompt states the task) but means two long prompts sharing their first ~120 word pieces embed
 *     identically.
 * @param batchSize the most texts run through the model in one call. Texts in a batch are padded to
 *     the longest one, so batches are formed from texts of similar length where possible. The int8
 *     model quantizes its activations with one scale per call, computed over the whole batch, so a
 *     batched text's vector depends slightly on its neighbours in the batch (cosine 0.986-0.99 to
 *     its unbatched vector). With 1, the same text always yields the same vector, bit for bit.
 * @param cacheEntries the most distinct texts whose vectors the shared engine keeps ({@link
 *     EmbeddingCache}, ~1.7 KB of heap each), so a repeated text is embedded once; 0 turns the
 *     cache off. Only engines from {@link SharedEmbedders} use it.
 */
public record EmbedderSettings(int threads, int maxTokens, int batchSize, int cacheEntries) {

  /** 20,000 texts: about 34 MB of heap per JVM. */
  public static final int DEFAULT_CACHE_ENTRIES = 20_000;

  /** The model's hard limit on sequence length (its position embeddings). */
  public static final int MODEL_MAX_TOKENS = 512;

  /**
   * One session per available core (at least one, at most eight), 128 tokens, one text per model
   * call. Computed from the JVM's available processors when this class loads.
   *
   * <p>Why one text per call: with batching, the int8 model's per-call quantization makes a
   * prompt's vector depend on which prompts it happened to be batched with, so a replay would not
   * reproduce its own vectors, identical prompts could land in different LSH cells (breaking
   * near-repeat and cross-account duplicate signals), and borderline decisions could differ between
   * two runs over the same input. Reproducibility wins over the throughput batching adds here (see
   * bench/results/embedding.md); raise {@link #batchSize} where throughput matters more.
   */
  public static final EmbedderSettings DEFAULT =
      new EmbedderSettings(
          Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors())),
          128,
          1,
          DEFAULT_CACHE_ENTRIES);

  public EmbedderSettings {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, was " + threads);
    }
    if (maxTokens < 3 || maxTokens > MODEL_MAX_TOKENS) {
      throw new IllegalArgumentException(
          "maxTokens must be between 3 and " + MODEL_MAX_TOKENS + ", was " + maxTokens);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
    }
    if (cacheEntries < 0) {
      throw new IllegalArgumentException("cacheEntries must be >= 0, was " + cacheEntries);
    }
  }

  /** With the default cache ({@link #DEFAULT_CACHE_ENTRIES}). */
  public EmbedderSettings(int threads, int maxTokens, int batchSize) {
    this(threads, maxTokens, batchSize, DEFAULT_CACHE_ENTRIES);
  }

  /** A copy with another thread count. */
  public EmbedderSettings withThreads(int newThreads) {
    return new EmbedderSettings(newThreads, maxTokens, batchSize, cacheEntries);
  }

  /** A copy with another token cap. */
  public EmbedderSettings withMaxTokens(int newMaxTokens) {
    return new EmbedderSettings(threads, newMaxTokens, batchSize, cacheEntries);
  }

  /** A copy with another batch size. */
  public EmbedderSettings withBatchSize(int newBatchSize) {
    return new EmbedderSettings(threads, maxTokens, newBatchSize, cacheEntries);
  }

  /** A copy with another cache size (0: no cache). */
  public EmbedderSettings withCacheEntries(int newCacheEntries) {
    return new EmbedderSettings(threads, maxTokens, batchSize, newCacheEntries);
  }
}
