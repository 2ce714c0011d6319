package io.distillguard.ingest.enrich;

import io.distillguard.observe.AccountObservation;
import io.distillguard.store.QueryRecord;

/**
 * One fully processed query: the evidence row for the vector store and the compact observation for
 * the account's actor.
 */
public record EnrichedQuery(QueryRecord record, AccountObservation observation) {}
