package io.distillguard.actors.erasure;

/**
 * What an erasure removed, store by store.
 *
 * @param journalEvents journal events deleted (the erasure marker counts once the projection
 *     removed it)
 * @param snapshots snapshots deleted
 * @param deliveries outbox rows (webhook payloads) deleted
 * @param throttles throttle directives deleted
 * @param indexRows account index rows deleted
 * @param auditTombstoned audit entries kept as tombstones without account or detail
 * @param campaigns campaigns the account was erased from (each restated without it)
 * @param campaignEvents campaign journal events and snapshots deleted (those before each campaign's
 *     erasure fact)
 * @param campaignDeliveries campaign payloads in the outbox rewritten without the account, or
 *     deleted when they were about it alone
 * @param vectorRecords vector-store records deleted; -1 when this process has no vector store
 * @param deadLetters dead letters removed from the data dir's dead-letter file
 * @param quarantined quarantined observations deleted
 */
public record ErasureReport(
    long journalEvents,
    long snapshots,
    long deliveries,
    long throttles,
    long indexRows,
    long auditTombstoned,
    long campaigns,
    long campaignEvents,
    long campaignDeliveries,
    long vectorRecords,
    long deadLetters,
    long quarantined) {

  ErasureReport withStores(long vectors, long letters) {
    return new ErasureReport(
        journalEvents,
        snapshots,
        deliveries,
        throttles,
        indexRows,
        auditTombstoned,
        campaigns,
        campaignEvents,
        campaignDeliveries,
        vectors,
        letters,
        quarantined);
  }
}
