package io.distillguard.ingest.campaign;

/**
 * An account seen on a link key at an event time: what the per-key operator is fed, one per key of
 * an observation. A concrete public record so Flink serializes it without Kryo.
 *
 * @param linkKey the key's wire form ({@code type:hash})
 * @param accountId the account
 * @param atMillis event time
 */
public record LinkSighting(String linkKey, String accountId, long atMillis) {}
