package io.distillguard.actors.api;

import io.distillguard.embedding.TextEmbedder;
import io.distillguard.store.VectorStore;
import java.util.Objects;

/**
 * Where {@code GET /v1/accounts/{id}/evidence} reads from: the vector store the ingest job writes
 * to, or nothing, with the reason why. A store that the ingest job does not write to would answer
 * every evidence query with an empty list, which reads as "no evidence" when it means "wrong
 * store"; such a service is configured with {@link Unavailable} and answers 503 with the reason.
 */
public sealed interface EvidenceSource {

  /**
   * The store the ingest job writes to (Milvus, or the embedded store shared in one process).
   *
   * @param store the evidence store (not closed by the API)
   * @param embedder embeds the {@code near} text of a query (not closed by the API)
   */
  record Served(VectorStore store, TextEmbedder embedder) implements EvidenceSource {
    public Served {
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(embedder, "embedder");
    }
  }

  /**
   * No store shared with the ingest job.
   *
   * @param reason what the operator reads in the 503 answer: why, and how to fix it
   */
  record Unavailable(String reason) implements EvidenceSource {
    public Unavailable {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The store and embedder, or {@link Unavailable} with a generic reason when either is null. */
  static EvidenceSource of(VectorStore store, TextEmbedder embedder) {
    return store == null || embedder == null
        ? new Unavailable("this service was started without a vector store")
        : new Served(store, embedder);
  }
}
