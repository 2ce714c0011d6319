package io.distillguard.actors.service;

import io.distillguard.actors.api.EvidenceSource;
import io.distillguard.embedding.BatchingEmbedder;
import io.distillguard.embedding.EmbedderSettings;
import io.distillguard.embedding.SharedEmbedders;
import io.distillguard.store.StoreSettings;
import io.distillguard.store.VectorStore;
import io.distillguard.store.VectorStores;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actor service's evidence store, as its own process. The ingest job writes every query to its
 * vector store, and only Milvus is shared across processes: an embedded store opened here would be
 * a different, empty store (the job's embedded store lives on its TaskManagers), and its answers
 * would read as "no evidence" when they mean "wrong store". So without Milvus the service serves no
 * evidence and says why: a warning at start-up and a 503 from the evidence endpoint.
 */
final class ServiceEvidence implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceEvidence.class);

  private final EvidenceSource source;
  private final VectorStore store;
  private final BatchingEmbedder embedder;

  private ServiceEvidence(EvidenceSource source, VectorStore store, BatchingEmbedder embedder) {
    this.source = source;
    this.store = store;
    this.embedder = embedder;
  }

  /**
   * Opens the Milvus store and the embedder when {@code settings} name Milvus; otherwise logs a
   * warning and returns an {@link EvidenceSource.Unavailable} source (nothing opened).
   */
  static ServiceEvidence open(StoreSettings settings) {
    Optional<String> why = whyUnavailable(settings);
    if (why.isPresent()) {
      LOG.warn("GET /v1/accounts/{id}/evidence will answer 503: {}", why.get());
      return new ServiceEvidence(new EvidenceSource.Unavailable(why.get()), null, null);
    }
    VectorStore store = VectorStores.open(settings);
    BatchingEmbedder embedder = SharedEmbedders.acquire(EmbedderSettings.DEFAULT);
    return new ServiceEvidence(new EvidenceSource.Served(store, embedder), store, embedder);
  }

  /**
   * Why {@code store} cannot serve the ingest job's evidence in this process; empty when it can.
   */
  static Optional<String> whyUnavailable(StoreSettings store) {
    if (store.backend() == StoreSettings.Backend.MILVUS) {
      return Optional.empty();
    }
    return Optional.of(
        "the actor service has no vector store shared with the ingest job (the embedded store"
            + " lives in the ingest job's TaskManagers, not in this process); set MILVUS_URI"
            + " (and MILVUS_TOKEN / MILVUS_COLLECTION as the job has them) to the Milvus the job"
            + " writes to");
  }

  EvidenceSource source() {
    return source;
  }

  @Override
  public void close() {
    if (embedder != null) {
      embedder.close();
    }
    if (store != null) {
      store.close();
    }
  }
}
