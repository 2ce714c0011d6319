package io.distillguard.actors.throttle;

import java.util.Map;

/**
 * What the gateway is asked to enforce for one account: the allowed share (0..1) of its traffic per
 * semantic category until {@code expiresAtMillis} (wall clock). Categories not listed are not
 * throttled.
 *
 * @param accountId the account
 * @param webhookId the id of the {@code account.throttled} message that announced it
 * @param categories category name to allowed share
 * @param issuedAtMillis when it was issued
 * @param expiresAtMillis when it stops applying
 */
public record ThrottleDirective(
    String accountId,
    String webhookId,
    Map<String, Double> categories,
    long issuedAtMillis,
    long expiresAtMillis) {
  public ThrottleDirective {
    categories = Map.copyOf(categories);
  }

  /** True while the directive applies at {@code nowMillis}. */
  public boolean activeAt(long nowMillis) {
    return nowMillis < expiresAtMillis;
  }
}
