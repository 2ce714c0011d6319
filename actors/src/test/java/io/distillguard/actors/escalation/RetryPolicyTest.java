package io.distillguard.actors.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy =
      new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1), 0.5);

  @Test
  void backoffGrowsExponentiallyWithinTheJitterBandAndIsCapped() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200; i++) {
      assertThat(policy.backoff(1, random).toMillis()).isBetween(500L, 1000L);
      assertThat(policy.backoff(3, random).toMillis()).isBetween(2000L, 4000L);
      assertThat(policy.backoff(30, random).toMillis()).isBetween(5000L, 10_000L);
    }
  }

  @Test
  void retryAfterOverridesTheBackoff() {
    Optional<Duration> next =
        policy.nextDelay(1, 0, 0, Optional.of(Duration.ofSeconds(7)), new SplittableRandom(1));
    assertThat(next).contains(Duration.ofSeconds(7));
  }

  @Test
  void exhaustsAfterMaxAttemptsOrMaxAge() {
    SplittableRandom random = new SplittableRandom(1);
    assertThat(policy.nextDelay(4, 0, 0, Optional.empty(), random)).isPresent();
    assertThat(policy.nextDelay(5, 0, 0, Optional.empty(), random)).isEmpty();
    // Created 59.5 s ago; any further delay would pass the one-minute max age.
    assertThat(policy.nextDelay(1, 0, 59_500, Optional.of(Duration.ofSeconds(1)), random))
        .isEmpty();
  }

  @Test
  void parsesRetryAfterSecondsAndHttpDates() {
    Instant now = Instant.parse("2026-10-05T03:12:40Z");
    assertThat(RetryPolicy.parseRetryAfter("3", now)).contains(Duration.ofSeconds(3));
    assertThat(RetryPolicy.parseRetryAfter("Mon, 05 Oct 2026 03:12:50 GMT", now))
        .contains(Duration.ofSeconds(10));
    assertThat(RetryPolicy.parseRetryAfter("Mon, 05 Oct 2026 03:12:00 GMT", now))
        .contains(Duration.ZERO);
    assertThat(RetryPolicy.parseRetryAfter("soon", now)).isEmpty();
    assertThat(RetryPolicy.parseRetryAfter(null, now)).isEmpty();
    assertThat(RetryPolicy.parseRetryAfter("-1", now)).isEmpty();
  }
}
