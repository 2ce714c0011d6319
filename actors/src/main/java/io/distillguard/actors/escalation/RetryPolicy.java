package io.distillguard.actors.escalation;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to retry a failed delivery and when to give up: exponential backoff with jitter, a server's
 * {@code Retry-After} honoured, and a cap on attempts and on age after which a delivery is kept as
 * EXHAUSTED.
 *
 * @param maxAttempts attempts before a delivery is exhausted (at least 1)
 * @param initialBackoff delay after the first failure
 * @param maxBackoff cap on the computed delay (a server's Retry-After may ask for longer)
 * @param maxAge a delivery whose next attempt would start later than this after its creation is
 *     exhausted instead
 * @param jitter fraction of the delay that is randomised, 0..1 (0.5 = delay * [0.5, 1.0])
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxAge, double jitter) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff");
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter must be in 0..1: " + jitter);
    }
  }

  /** The computed delay after failed attempt number {@code attempt} (1-based), with jitter. */
  public Duration backoff(int attempt, RandomGenerator random) {
    long base = initialBackoff.toMillis();
    int shift = Math.min(Math.max(attempt - 1, 0), 30);
    long exp = base << shift;
    if (exp < 0 || (shift > 0 && exp >> shift != base)) {
      exp = Long.MAX_VALUE;
    }
    long capped = Math.min(exp, maxBackoff.toMillis());
    double factor = 1.0 - jitter * random.nextDouble();
    return Duration.ofMillis(Math.round(capped * factor));
  }

  /**
   * The delay before the next attempt after failed attempt {@code attempt}: the server's {@code
   * Retry-After} when it sent one, otherwise the backoff. Empty when the delivery is exhausted.
   */
  public Optional<Duration> nextDelay(
      int attempt,
      long createdAtMillis,
      long nowMillis,
      Optional<Duration> retryAfter,
      RandomGenerator random) {
    if (attempt >= maxAttempts) {
      return Optional.empty();
    }
    Duration delay = retryAfter.orElseGet(() -> backoff(attempt, random));
    if (nowMillis + delay.toMillis() - createdAtMillis > maxAge.toMillis()) {
      return Optional.empty();
    }
    return Optional.of(delay);
  }

  /**
   * Parses a {@code Retry-After} value: delay-seconds or an HTTP date. Empty when absent or
   * unparseable; a date in the past means zero.
   */
  public static Optional<Duration> parseRetryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(now, at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }
}
