package io.distillguard.store;

/**
 * A search hit: the stored record and its cosine similarity to the query vector (in [-1, 1], higher
 * is closer).
 */
public record ScoredRecord(QueryRecord record, float score) {}
