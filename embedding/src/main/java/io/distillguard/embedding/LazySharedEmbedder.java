package io.distillguard.embedding;

import java.util.List;

/**
 * A handle on the JVM-wide shared embedder ({@link SharedEmbedders}) that acquires it on the first
 * text it is asked to embed, not when it is made: a process that may never embed (a replay whose
 * events all carry their vector serves evidence queries only if someone asks one) does not load the
 * model for nothing. Thread-safe; {@link #close} releases the shared embedder if it was acquired.
 */
public final class LazySharedEmbedder implements TextEmbedder {

  private final EmbedderSettings settings;
  private BatchingEmbedder acquired; // guarded by this
  private boolean closed; // guarded by this

  public LazySharedEmbedder(EmbedderSettings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("settings must not be null");
    }
    this.settings = settings;
  }

  /** Whether the shared embedder has been acquired (the model loaded for this handle). */
  public synchronized boolean acquired() {
    return acquired != null;
  }

  @Override
  public int dimension() {
    return MiniLmEmbedder.DIMENSION;
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    return embedder().embedAll(texts);
  }

  @Override
  public float[] embed(String text) {
    return embedder().embed(text);
  }

  private synchronized BatchingEmbedder embedder() {
    if (closed) {
      throw new IllegalStateException("this embedder is closed");
    }
    if (acquired == null) {
      acquired = SharedEmbedders.acquire(settings);
    }
    return acquired;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (acquired != null) {
      acquired.close();
      acquired = null;
    }
  }
}
