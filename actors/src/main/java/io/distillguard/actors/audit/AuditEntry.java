package io.distillguard.actors.audit;

/**
 * One line of the audit log: who did what to which account, when.
 *
 * @param seq position in the log (ascending, never reused)
 * @param atMillis wall-clock time of the action
 * @param actor the name of the token that made the request
 * @param action {@link AuditLog#EVIDENCE_READ}, {@link AuditLog#REVIEW} or {@link AuditLog#ERASE}
 * @param accountId the account concerned; null once the account was erased
 * @param detail what exactly (query parameters, verdict); null once the account was erased
 * @param erased true when the account was erased since: the entry stays as a tombstone (who, what,
 *     when) without the account or the detail
 */
public record AuditEntry(
    long seq,
    long atMillis,
    String actor,
    String action,
    String accountId,
    String detail,
    boolean erased) {}
