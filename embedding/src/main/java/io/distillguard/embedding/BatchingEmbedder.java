package io.distillguard.embedding;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asynchronous micro-batching over a {@link TextEmbedder} (normally a {@link MiniLmEmbedder}).
 *
 * <p>{@link #embedAsync} puts the text on a bounded queue and returns at once. Each of the worker
 * threads takes whatever is waiting, up to the batch size, and runs it as one model call; it never
 * waits for a batch to fill, so a lone request is served immediately and a burst is coalesced. A
 * failure in a batch is retried text by text, so only the futures of the texts that actually fail
 * complete exceptionally.
 *
 * <p>Backpressure: when the queue is full, {@link #embedAsync} blocks the caller until there is
 * room (a Flink async operator thus slows its input instead of growing memory).
 *
 * <p>Thread-safe. Also a {@link TextEmbedder}: {@link #embedAll} goes through the same queue, so
 * synchronous callers share the batches with asynchronous ones. {@link #close()} stops accepting
 * texts, lets the workers finish what is queued, and frees the model if this instance owns it
 * (handles from {@link SharedEmbedders} release their reference instead).
 */
public final class BatchingEmbedder implements TextEmbedder {

  private final Engine engine;
  private final Runnable release;
  private final AtomicBoolean closed = new AtomicBoolean();

  BatchingEmbedder(Engine engine, Runnable release) {
    this.engine = engine;
    this.release = release;
  }

  /** Loads a {@link MiniLmEmbedder} with these settings and batches over it; owns the model. */
  public static BatchingEmbedder create(EmbedderSettings settings) {
    MiniLmEmbedder model = MiniLmEmbedder.create(settings);
    return over(model, settings.threads(), settings.batchSize(), defaultQueueCapacity(settings));
  }

  /**
   * Batches over any embedder, which this instance then owns (closing this closes it).
   *
   * @param threads worker threads; for a {@link MiniLmEmbedder} at most its session count is useful
   * @param batchSize the most texts per call to the delegate
   * @param queueCapacity the most texts waiting before {@link #embedAsync} blocks
   */
  public static BatchingEmbedder over(
      TextEmbedder delegate, int threads, int batchSize, int queueCapacity) {
    Engine engine = new Engine(delegate, threads, batchSize, queueCapacity, null);
    return new BatchingEmbedder(engine, engine::shutdown);
  }

  static int defaultQueueCapacity(EmbedderSettings settings) {
    return Math.max(1024, settings.threads() * settings.batchSize() * 8);
  }

  /**
   * Embeds one text asynchronously. The future completes on a worker thread with an L2-normalised
   * vector, or exceptionally with the delegate's failure for this text.
   *
   * @throws IllegalArgumentException if text is null
   * @throws IllegalStateException if this embedder is closed
   */
  public CompletableFuture<float[]> embedAsync(String text) {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    return lookup(text).vector();
  }

  /**
   * Like {@link #embedAsync}, and says whether the engine's {@link EmbeddingCache} already had the
   * text (done or in flight). Without a cache every lookup is a miss.
   *
   * @throws IllegalArgumentException if text is null
   * @throws IllegalStateException if this embedder is closed
   */
  public EmbeddingCache.Lookup lookup(String text) {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    ensureOpen();
    if (engine.cache == null) {
      return new EmbeddingCache.Lookup(engine.submit(text), false);
    }
    return engine.cache.lookup(text, engine::submit);
  }

  /**
   * Embeds the texts through the shared queue and waits for all of them.
   *
   * @throws IllegalArgumentException if the list or a text is null
   * @throws IllegalStateException if closed, interrupted, or a text failed to embed
   */
  @Override
  public List<float[]> embedAll(List<String> texts) {
    if (texts == null) {
      throw new IllegalArgumentException("texts must not be null");
    }
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null) {
        throw new IllegalArgumentException("text at index " + i + " is null");
      }
    }
    List<CompletableFuture<float[]>> futures = new ArrayList<>(texts.size());
    for (String text : texts) {
      futures.add(embedAsync(text));
    }
    List<float[]> vectors = new ArrayList<>(texts.size());
    try {
      for (CompletableFuture<float[]> future : futures) {
        vectors.add(future.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for embeddings", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("Embedding failed: " + cause, cause);
    }
    return vectors;
  }

  /**
   * Embeds one text through the queue and waits for it.
   *
   * @throws IllegalArgumentException if text is null
   */
  @Override
  public float[] embed(String text) {
    return embedAll(java.util.Collections.singletonList(text)).get(0);
  }

  @Override
  public int dimension() {
    return engine.delegate.dimension();
  }

  /** Texts waiting for a worker right now. */
  public int queued() {
    return engine.queue.size();
  }

  /** Counters since the underlying engine started (shared by all handles of a shared engine). */
  public Stats stats() {
    return new Stats(engine.texts.sum(), engine.batches.sum(), engine.failedTexts.sum());
  }

  /**
   * Throughput counters.
   *
   * @param texts texts embedded successfully
   * @param batches calls made to the delegate for whole batches
   * @param failedTexts texts whose future completed exceptionally
   */
  public record Stats(long texts, long batches, long failedTexts) {
    /** Mean texts per batch, 0 when nothing ran yet. */
    public double meanBatchSize() {
      return batches == 0 ? 0 : (double) texts / batches;
    }
  }

  /** Stops using this handle; the first call releases it (for an owner: shuts the engine down). */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      release.run();
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("BatchingEmbedder is closed");
    }
  }

  /** One text waiting to be embedded. */
  private record Request(String text, CompletableFuture<float[]> future) {}

  /** The queue, the worker threads and the delegate; shared by all handles on it. */
  static final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingEmbedder.class);
    private static final AtomicInteger ENGINES = new AtomicInteger();
    private static final long POLL_MILLIS = 50;

    private final TextEmbedder delegate;
    private final int batchSize;
    private final BlockingQueue<Request> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final LongAdder texts = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder failedTexts = new LongAdder();
    private final EmbeddingCache cache; // null: every text goes to the model

    Engine(
        TextEmbedder delegate,
        int threads,
        int batchSize,
        int queueCapacity,
        EmbeddingCache cache) {
      if (delegate == null) {
        throw new IllegalArgumentException("delegate must not be null");
      }
      if (threads < 1 || batchSize < 1 || queueCapacity < 1) {
        throw new IllegalArgumentException(
            "threads, batchSize and queueCapacity must be >= 1, were "
                + threads
                + ", "
                + batchSize
                + ", "
                + queueCapacity);
      }
      this.delegate = delegate;
      this.batchSize = batchSize;
      this.cache = cache;
      this.queue = new ArrayBlockingQueue<>(queueCapacity);
      int id = ENGINES.incrementAndGet();
      for (int i = 0; i < threads; i++) {
        Thread worker = new Thread(this::work, "embedder-" + id + "-worker-" + i);
        worker.setDaemon(true);
        workers.add(worker);
        worker.start();
      }
    }

    CompletableFuture<float[]> submit(String text) {
      Request request = new Request(text, new CompletableFuture<>());
      try {
        while (!queue.offer(request, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
          if (!running.get()) {
            throw new IllegalStateException("BatchingEmbedder is closed");
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for room in the queue", e);
      }
      if (!running.get() && queue.remove(request)) {
        // Raced with shutdown after the workers may have left: do not strand the future.
        throw new IllegalStateException("BatchingEmbedder is closed");
      }
      return request.future();
    }

    private void work() {
      List<Request> batch = new ArrayList<>(batchSize);
      while (true) {
        Request first;
        try {
          first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          // Only shutdown interrupts us, and only after the queue has been drained.
          break;
        }
        if (first == null) {
          if (!running.get()) {
            break;
          }
          continue;
        }
        batch.add(first);
        // Take whatever else is already waiting; never wait for the batch to fill.
        queue.drainTo(batch, batchSize - 1);
        run(batch);
        batch.clear();
      }
    }

    private void run(List<Request> batch) {
      batch.removeIf(r -> r.future().isDone()); // cancelled by the caller meanwhile
      if (batch.isEmpty()) {
        return;
      }
      List<String> inputs = new ArrayList<>(batch.size());
      for (Request request : batch) {
        inputs.add(request.text());
      }
      List<float[]> vectors;
      try {
        vectors = delegate.embedAll(inputs);
        if (vectors.size() != inputs.size()) {
          throw new IllegalStateException(
              "Delegate returned " + vectors.size() + " vectors for " + inputs.size() + " texts");
        }
      } catch (RuntimeException | Error e) {
        if (batch.size() == 1) {
          fail(batch.get(0), e);
        } else {
          LOG.debug("A batch of {} failed ({}); retrying text by text", batch.size(), e.toString());
          batch.forEach(this::runAlone);
        }
        return;
      }
      batches.increment();
      texts.add(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).future().complete(vectors.get(i));
      }
    }

    private void runAlone(Request request) {
      try {
        float[] vector = delegate.embed(request.text());
        texts.increment();
        request.future().complete(vector);
      } catch (RuntimeException | Error e) {
        fail(request, e);
      }
    }

    private void fail(Request request, Throwable cause) {
      failedTexts.increment();
      request
          .future()
          .completeExceptionally(
              cause instanceof CompletionException ? cause : new CompletionException(cause));
    }

    /** Stops accepting, finishes what is queued, joins the workers, closes the delegate. */
    void shutdown() {
      if (!running.compareAndSet(true, false)) {
        return;
      }
      for (Thread worker : workers) {
        try {
          worker.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        if (worker.isAlive()) {
          LOG.warn("Embedding worker {} did not stop within 30 s", worker.getName());
          worker.interrupt();
        }
      }
      Request leftover;
      while ((leftover = queue.poll()) != null) {
        leftover
            .future()
            .completeExceptionally(new IllegalStateException("BatchingEmbedder closed"));
      }
      delegate.close();
    }
  }
}
