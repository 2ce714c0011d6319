package io.distillguard.actors.escalation;

/**
 * One message in the outbox and where its delivery stands. The {@code webhookId} is the Standard
 * Webhooks {@code webhook-id}: unique per message and the same on every retry, so a receiver can
 * deduplicate.
 *
 * @param webhookId stable message id
 * @param destination which configured URL receives it
 * @param eventType the envelope's {@code type}, e.g. {@code account.review_requested}
 * @param accountId the account the message is about
 * @param level the level it announces
 * @param body the exact JSON body (signed and sent unchanged on every attempt)
 * @param status where the delivery stands
 * @param attempts attempts made so far
 * @param createdAtMillis when it entered the outbox (wall clock)
 * @param nextAttemptAtMillis when the next attempt is due (meaningful while PENDING)
 * @param lastAttemptAtMillis when the last attempt was made; null before the first
 * @param lastStatus HTTP status of the last attempt; null before the first or on a network error
 * @param lastError why the last attempt failed; null when none failed
 * @param settledAtMillis when it was delivered or exhausted; null while pending
 */
public record Delivery(
    String webhookId,
    Destination destination,
    String eventType,
    String accountId,
    String level,
    String body,
    Status status,
    int attempts,
    long createdAtMillis,
    long nextAttemptAtMillis,
    Long lastAttemptAtMillis,
    Integer lastStatus,
    String lastError,
    Long settledAtMillis) {

  /** Where a delivery stands. EXHAUSTED deliveries are kept (never dropped) and reported. */
  public enum Status {
    PENDING,
    DELIVERED,
    EXHAUSTED
  }

  /** Which configured endpoint a message goes to. */
  public enum Destination {
    /** The review system's webhook URL ({@code account.review_requested}, CLEARED). */
    REVIEW,
    /** The gateway's throttle URL ({@code account.throttled}). */
    THROTTLE
  }
}
