package io.distillguard.ingest.enrich;

import io.distillguard.contract.QueryEvent;
import io.distillguard.observe.AccountObservation;
import io.distillguard.store.QueryRecord;

/**
 * One fully processed query: the evidence row for the vector store, the compact observation for the
 * account's actor, and the event they came from (what a dead letter keeps if the store refuses the
 * row).
 */
public record EnrichedQuery(QueryRecord record, AccountObservation observation, QueryEvent event) {}
