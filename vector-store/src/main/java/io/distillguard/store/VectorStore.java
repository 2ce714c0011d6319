package io.distillguard.store;

import java.util.List;

/**
 * The vector-store port: where every embedded query is kept as evidence, searchable per account.
 *
 * <p>Contract shared by every implementation (checked by one contract test suite):
 *
 * <ul>
 *   <li>Implementations are thread-safe.
 *   <li>A record is identified by ({@code accountId}, {@code eventId}): event ids are unique within
 *       an account only, so the same event id from another account is another record and never
 *       overwrites evidence. {@link #upsert} is idempotent by that pair: a replayed record does not
 *       create a second one, and an upsert of an existing pair replaces the stored record. Records
 *       are visible to reads once {@code upsert} returns.
 *   <li>Ids may hold any character, including those a backend reserves (quotes, {@code |},
 *       backslashes): implementations escape or hash them, never interpret them.
 *   <li>{@link #search} ranks by exact-or-approximate cosine similarity, best first; embedded
 *       stores are exact.
 *   <li>{@link #query} returns newest first ({@code timestampMillis} descending, ties by {@code
 *       eventId}).
 *   <li>All vectors of one store share one dimension; a record or query vector of another dimension
 *       is rejected with {@link IllegalArgumentException}.
 *   <li>Failures of the backing store (I/O, unreachable server) surface as {@link
 *       VectorStoreException}.
 * </ul>
 */
public interface VectorStore extends AutoCloseable {

  /** Inserts or replaces records by ({@code accountId}, {@code eventId}). */
  void upsert(List<QueryRecord> records);

  /**
   * The {@code limit} records matching {@code filter} most similar (cosine) to {@code vector}, best
   * first.
   */
  List<ScoredRecord> search(float[] vector, RecordFilter filter, int limit);

  /** Up to {@code limit} records matching {@code filter}, newest first. */
  List<QueryRecord> query(RecordFilter filter, int limit);

  /** How many records match {@code filter}. */
  long count(RecordFilter filter);

  /**
   * Removes every record of an account (erasure). Returns how many were removed. The data is gone
   * from storage, not just hidden, once the call returns (embedded) or once the server compacts
   * (Milvus).
   */
  long deleteAccount(String accountId);

  /** Makes everything written so far durable. */
  void flush();

  /** Releases the store; for a shared handle from {@link VectorStores}, releases one reference. */
  @Override
  void close();
}
