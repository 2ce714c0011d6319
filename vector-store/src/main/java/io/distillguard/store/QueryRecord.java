package io.distillguard.store;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One stored query: the evidence row the vector store keeps per API call.
 *
 * <p>Contract: {@code eventId} and {@code accountId} are non-blank; {@code embedding} is non-null
 * and non-empty. {@code category} and {@code prompt} are never null (an absent value is stored as
 * the empty string, so every store round-trips the same value). {@code metadata} is never null and
 * is an immutable copy with a stable (sorted) iteration order. The embedding array is not copied:
 * callers must not mutate it after handing the record to a store.
 *
 * <p>Equality compares the embedding by content (unlike a plain record's array identity), so a
 * record read back from a store equals the record written.
 */
public record QueryRecord(
    String eventId,
    String accountId,
    long timestampMillis,
    String category,
    float statedUseSimilarity,
    String prompt,
    float[] embedding,
    Map<String, String> metadata) {

  public QueryRecord {
    if (eventId == null || eventId.isBlank()) {
      throw new IllegalArgumentException("eventId must be non-blank");
    }
    if (accountId == null || accountId.isBlank()) {
      throw new IllegalArgumentException("accountId must be non-blank");
    }
    if (embedding == null || embedding.length == 0) {
      throw new IllegalArgumentException("embedding must be non-empty (event " + eventId + ")");
    }
    category = category == null ? "" : category;
    prompt = prompt == null ? "" : prompt;
    metadata =
        metadata == null || metadata.isEmpty()
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(metadata));
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof QueryRecord r)) {
      return false;
    }
    return timestampMillis == r.timestampMillis
        && Float.compare(statedUseSimilarity, r.statedUseSimilarity) == 0
        && eventId.equals(r.eventId)
        && accountId.equals(r.accountId)
        && category.equals(r.category)
        && prompt.equals(r.prompt)
        && Arrays.equals(embedding, r.embedding)
        && metadata.equals(r.metadata);
  }

  @Override
  public int hashCode() {
    return Objects.hash(eventId, accountId, timestampMillis, category) * 31
        + Arrays.hashCode(embedding);
  }

  /** Never prints the prompt or the vector (they must not reach logs). */
  @Override
  public String toString() {
    return "QueryRecord[eventId="
        + eventId
        + ", accountId="
        + accountId
        + ", timestampMillis="
        + timestampMillis
        + ", category="
        + category
        + ", dim="
        + embedding.length
        + "]";
  }
}
