package io.distillguard.embedding;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model per settings per JVM, shared by reference count.
 *
 * <p>Several Flink subtasks in one TaskManager (and the HTTP API in the same process) each call
 * {@link #acquire} and get their own handle over one {@link BatchingEmbedder} engine: the model is
 * loaded once, on the first acquire, and its native memory is freed when the last handle closes.
 * "Per JVM" holds as long as this class is loaded once, i.e. the embedding jar sits on the
 * cluster's class path ({@code lib/}) rather than inside each job jar.
 *
 * <p>Each engine has its {@link EmbeddingCache} (unless {@link EmbedderSettings#cacheEntries} is
 * 0), so a text repeated anywhere in the JVM is embedded once while it stays cached.
 */
public final class SharedEmbedders {

  private static final Logger LOG = LoggerFactory.getLogger(SharedEmbedders.class);

  private static final Map<EmbedderSettings, Entry> ENTRIES = new HashMap<>();

  /** Models loaded by {@link #acquire} in this JVM, ever (guarded by ENTRIES). */
  private static long loads;

  private SharedEmbedders() {}

  /**
   * Returns a handle on the JVM-wide embedder for these settings, loading the model on first use.
   * Close the handle when done; closing it twice releases once.
   *
   * @throws IllegalArgumentException if settings is null
   * @throws IllegalStateException if the model cannot be loaded
   */
  public static BatchingEmbedder acquire(EmbedderSettings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("settings must not be null");
    }
    synchronized (ENTRIES) {
      Entry entry = ENTRIES.get(settings);
      if (entry == null) {
        // Loading under the lock: concurrent first acquires wait for one load instead of
        // loading the model several times.
        MiniLmEmbedder model = MiniLmEmbedder.create(settings);
        loads++;
        BatchingEmbedder.Engine engine =
            new BatchingEmbedder.Engine(
                model,
                settings.threads(),
                settings.batchSize(),
                BatchingEmbedder.defaultQueueCapacity(settings),
                settings.cacheEntries() == 0 ? null : new EmbeddingCache(settings.cacheEntries()));
        entry = new Entry(engine);
        ENTRIES.put(settings, entry);
        LOG.info("Shared embedder started for {}", settings);
      }
      entry.references++;
      return new BatchingEmbedder(entry.engine, () -> release(settings));
    }
  }

  /**
   * How many times this JVM has loaded a model through {@link #acquire} (whatever the settings,
   * released or not): a process that never needed the model reads 0, which is how the tests and the
   * replay tell that a run never loaded it.
   */
  public static long modelsLoaded() {
    synchronized (ENTRIES) {
      return loads;
    }
  }

  /** Handles currently open for these settings (0 when the model is not loaded). */
  public static int references(EmbedderSettings settings) {
    synchronized (ENTRIES) {
      Entry entry = ENTRIES.get(settings);
      return entry == null ? 0 : entry.references;
    }
  }

  private static void release(EmbedderSettings settings) {
    BatchingEmbedder.Engine toStop = null;
    synchronized (ENTRIES) {
      Entry entry = ENTRIES.get(settings);
      if (entry == null) {
        return;
      }
      entry.references--;
      if (entry.references == 0) {
        ENTRIES.remove(settings);
        toStop = entry.engine;
      }
    }
    if (toStop != null) {
      toStop.shutdown();
      LOG.info("Shared embedder for {} released and closed", settings);
    }
  }

  private static final class Entry {
    private final BatchingEmbedder.Engine engine;
    private int references;

    Entry(BatchingEmbedder.Engine engine) {
      this.engine = engine;
    }
  }
}
