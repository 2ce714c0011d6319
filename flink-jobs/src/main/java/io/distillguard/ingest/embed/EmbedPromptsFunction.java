package io.distillguard.ingest.embed;

import io.distillguard.contract.QueryEvent;
import io.distillguard.embedding.BatchingEmbedder;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.EmbeddingCache;
import io.distillguard.embedding.SharedEmbedders;
import io.distillguard.enrich.PromptSplit;
import io.distillguard.ingest.metrics.IngestMetrics;
import io.distillguard.ingest.profile.ProfiledEvent;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.streaming.api.functions.async.AsyncRetryStrategy;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.streaming.util.retryable.AsyncRetryStrategies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds each event's prompt with the shared in-JVM MiniLM model through Flink async I/O, so the
 * operator keeps many prompts in flight and the {@link BatchingEmbedder} can coalesce them into
 * batches on its own threads while the task thread moves on.
 *
 * <p>Identical prompts are embedded once per TaskManager: the shared embedder's content-addressed
 * cache returns the vector of an earlier event with the exact same text (bit-identical with one
 * text per model call), counted as {@code embedCacheHits} and {@code embedCacheMisses}.
 *
 * <p>A prompt that starts with its account's scaffold (see {@code SplitPreambleFunction}) is
 * embedded as its payload alone, so the model's token budget goes to what the user asked; the
 * scaffold is embedded once per version, with the event that starts it. Each text's vector is the
 * one the model gives for that text alone, whatever else is embedded around it.
 *
 * <p>Events that carry a precomputed {@code embedding} skip the model, and the subtask acquires the
 * shared embedder only with its first event that has no vector. A failed or timed-out embedding
 * does not fail the job: it is retried (see {@link #retryStrategy}) and, if it still fails, emitted
 * as an {@link EmbeddedEvent#failed} that the enrich step dead-letters.
 */
public final class EmbedPromptsFunction extends RichAsyncFunction<ProfiledEvent, EmbeddedEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(EmbedPromptsFunction.class);

  // EmbedderSettings is not Serializable: the function carries its parts and rebuilds it in open().
  private final int embedderThreads;
  private final int embedderMaxTokens;
  private final int embedderBatchSize;
  private final int embedderCacheEntries;
  private final Duration timeout;
  private transient BatchingEmbedder embedder;
  // Results complete on the embedder's threads, not the task thread: thread-safe counters.
  private transient Counter embedded;
  private transient Counter precomputed;
  private transient Counter failures;
  private transient Counter cacheHits;
  private transient Counter cacheMisses;

  public EmbedPromptsFunction(EmbedderSettings settings, Duration timeout) {
    this.embedderThreads = settings.threads();
    this.embedderMaxTokens = settings.maxTokens();
    this.embedderBatchSize = settings.batchSize();
    this.embedderCacheEntries = settings.cacheEntries();
    this.timeout = timeout;
  }

  /**
   * Retries a result that is a failure (not an exception: failures are data here) up to {@code
   * attempts} times in all, {@code delay} apart; after the last attempt the failure is emitted.
   */
  public static AsyncRetryStrategy<EmbeddedEvent> retryStrategy(int attempts, Duration delay) {
    return new AsyncRetryStrategies.FixedDelayRetryStrategyBuilder<EmbeddedEvent>(
            attempts, delay.toMillis())
        .ifResult(new AnyFailure())
        .build();
  }

  @Override
  public void open(OpenContext openContext) {
    // The model is acquired with the first event that has no vector (see embedder()): a subtask
    // whose events all carry their embedding never holds it.
    MetricGroup metrics = IngestMetrics.group(getRuntimeContext().getMetricGroup());
    embedded = metrics.counter(IngestMetrics.EMBEDDED, new ThreadSafeSimpleCounter());
    metrics.meter(IngestMetrics.EMBEDDED_PER_SECOND, new MeterView(embedded));
    precomputed =
        metrics.counter(IngestMetrics.EMBEDDINGS_PRECOMPUTED, new ThreadSafeSimpleCounter());
    failures = metrics.counter(IngestMetrics.EMBED_FAILURES, new ThreadSafeSimpleCounter());
    cacheHits = metrics.counter(IngestMetrics.EMBED_CACHE_HITS, new ThreadSafeSimpleCounter());
    cacheMisses = metrics.counter(IngestMetrics.EMBED_CACHE_MISSES, new ThreadSafeSimpleCounter());
  }

  @Override
  public void close() throws Exception {
    if (embedder != null) {
      embedder.close();
      embedder = null;
    }
    super.close();
  }

  @Override
  public void asyncInvoke(ProfiledEvent input, ResultFuture<EmbeddedEvent> resultFuture) {
    QueryEvent event = input.event();
    if (event.embedding() != null) {
      precomputed.inc();
      resultFuture.complete(List.of(EmbeddedEvent.embedded(input, event.embedding())));
      return;
    }
    try {
      embedder();
      PromptSplit split = input.split();
      CompletableFuture<float[]> payload = lookup(split.payload());
      CompletableFuture<float[]> preamble =
          split.newVersion() ? lookup(split.preamble()) : CompletableFuture.completedFuture(null);
      payload
          .thenCombine(preamble, (p, s) -> EmbeddedEvent.embedded(input, p, s))
          .whenComplete(
              (result, error) -> {
                if (error == null) {
                  embedded.inc();
                  resultFuture.complete(List.of(result));
                } else {
                  failures.inc();
                  resultFuture.complete(List.of(EmbeddedEvent.failed(input, reason(event, error))));
                }
              });
    } catch (RuntimeException e) {
      failures.inc();
      resultFuture.complete(List.of(EmbeddedEvent.failed(input, reason(event, e))));
    }
  }

  /** The shared embedder, acquired on first use (on the task thread, like asyncInvoke). */
  private BatchingEmbedder embedder() {
    if (embedder == null) {
      embedder =
          SharedEmbedders.acquire(
              new EmbedderSettings(
                  embedderThreads, embedderMaxTokens, embedderBatchSize, embedderCacheEntries));
    }
    return embedder;
  }

  /** Whether this subtask has acquired the shared embedder (tests). */
  boolean holdsEmbedder() {
    return embedder != null;
  }

  /** One text through the shared cache and model, counted as a cache hit or miss. */
  private CompletableFuture<float[]> lookup(String text) {
    EmbeddingCache.Lookup lookup = embedder.lookup(text);
    (lookup.hit() ? cacheHits : cacheMisses).inc();
    return lookup.vector();
  }

  @Override
  public void timeout(ProfiledEvent input, ResultFuture<EmbeddedEvent> resultFuture) {
    failures.inc();
    resultFuture.complete(
        List.of(
            EmbeddedEvent.failed(
                input, "embedding failed: timed out after " + timeout.toMillis() + " ms")));
  }

  private static String reason(QueryEvent event, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    LOG.warn("embedding of event {} failed: {}", event.eventId(), cause.toString());
    return "embedding failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  /** Serializable retry predicate (the strategy travels with the job graph). */
  private static final class AnyFailure
      implements Predicate<Collection<EmbeddedEvent>>, Serializable {
    @Override
    public boolean test(Collection<EmbeddedEvent> results) {
      for (EmbeddedEvent e : results) {
        if (e.isFailure()) {
          return true;
        }
      }
      return false;
    }
  }
}
