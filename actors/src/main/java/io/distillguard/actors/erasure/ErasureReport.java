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
        vectors,
        letters,
        quarantined);
  }
}
