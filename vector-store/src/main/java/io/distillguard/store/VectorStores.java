package io.distillguard.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens vector stores as refcounted JVM-wide shared instances, one per {@link
 * StoreSettings#target() target}.
 *
 * <p>Why: several Flink subtasks and the HTTP API run in one JVM in the local mode, but an embedded
 * store's data dir can be opened by one owner only (it is locked on disk). Each {@link #open} call
 * returns its own handle; closing a handle releases one reference (a second close of the same
 * handle does nothing), and the underlying store closes when the last handle is closed. A handle
 * used after its close throws {@link IllegalStateException}.
 */
public final class VectorStores {

  private static final Logger LOG = LoggerFactory.getLogger(VectorStores.class);
  private static final Map<String, Shared> SHARED = new HashMap<>();

  private VectorStores() {}

  /** A handle on the shared store for these settings, opening it if this is the first handle. */
  public static VectorStore open(StoreSettings settings) {
    synchronized (SHARED) {
      Shared shared = SHARED.get(settings.target());
      if (shared == null) {
        VectorStore store =
            switch (settings.backend()) {
              case EMBEDDED -> EmbeddedVectorStore.open(settings);
              case MILVUS -> MilvusVectorStore.open(settings);
            };
        shared = new Shared(settings.target(), store, settings);
        SHARED.put(settings.target(), shared);
        LOG.info("Opened vector store {}", settings);
      } else if (!shared.settings.equals(settings)) {
        LOG.warn(
            "Vector store {} is already open with other settings; sharing the open one",
            settings.target());
      }
      shared.refs++;
      return new Handle(shared);
    }
  }

  /** How many handles are open on a target (0 when it is closed); for tests and diagnostics. */
  public static int references(StoreSettings settings) {
    synchronized (SHARED) {
      Shared shared = SHARED.get(settings.target());
      return shared == null ? 0 : shared.refs;
    }
  }

  private static void release(Shared shared) {
    synchronized (SHARED) {
      if (--shared.refs == 0) {
        SHARED.remove(shared.target);
        shared.store.close();
        LOG.info("Closed vector store {}", shared.target);
      }
    }
  }

  private static final class Shared {
    final String target;
    final VectorStore store;
    final StoreSettings settings;
    int refs;

    Shared(String target, VectorStore store, StoreSettings settings) {
      this.target = target;
      this.store = store;
      this.settings = settings;
    }
  }

  private static final class Handle implements VectorStore {
    private final Shared shared;
    private final AtomicBoolean closed = new AtomicBoolean();

    Handle(Shared shared) {
      this.shared = shared;
    }

    private VectorStore store() {
      if (closed.get()) {
        throw new IllegalStateException("vector store handle is closed: " + shared.target);
      }
      return shared.store;
    }

    @Override
    public void upsert(List<QueryRecord> records) {
      store().upsert(records);
    }

    @Override
    public List<ScoredRecord> search(float[] vector, RecordFilter filter, int limit) {
      return store().search(vector, filter, limit);
    }

    @Override
    public List<QueryRecord> query(RecordFilter filter, int limit) {
      return store().query(filter, limit);
    }

    @Override
    public long count(RecordFilter filter) {
      return store().count(filter);
    }

    @Override
    public long deleteAccount(String accountId) {
      return store().deleteAccount(accountId);
    }

    @Override
    public void flush() {
      store().flush();
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        release(shared);
      }
    }

    @Override
    public String toString() {
      return "VectorStores.Handle[" + shared.target + "]";
    }
  }
}
